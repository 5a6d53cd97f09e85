import type { z } from 'zod';
import { invalidInput } from '@/lib/errors';

/** Parses input with a zod schema, turning failures into one readable INVALID_INPUT. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const message = result.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
  throw invalidInput(message, result.error.issues);
}
