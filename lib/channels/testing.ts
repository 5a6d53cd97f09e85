import { DomainError } from '@/lib/errors';

/** The DomainError `fn` throws, for tests that assert its code and message; fails when it throws nothing or something else. */
export function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** Like `caught`, for a promise. */
export async function caughtAsync(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the promise resolved');
}
