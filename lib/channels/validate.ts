import { z } from 'zod';
import { invalidInput } from '@/lib/errors';

/** One problem found in an input, with a readable path like `entry[0].changes[1].value.message`. */
export type InputProblem = { path: string; message: string };

/** Renders a zod path the way a developer would write it in code. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** The zod issues of a failed parse, as path + message pairs. */
export function problemsOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): InputProblem[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** A one-line summary of problems for an error message; the full list travels in the error details. */
export function describeProblems(problems: readonly InputProblem[], limit = 5): string {
  const shown = problems.slice(0, limit).map((p) => `${p.path || '(root)'}: ${p.message}`);
  const more = problems.length > limit ? `; and ${problems.length - limit} more` : '';
  return shown.join('; ') + more;
}

/** Parses `value` with `schema`, or throws INVALID_INPUT naming every bad path; `what` names the input in the message. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsOf(result.error, prefix);
  throw invalidInput(`${what} is invalid: ${describeProblems(problems)}`, { problems });
}

/** Accepts raw JSON text or bytes (as a webhook delivers them) or an already-parsed value. */
export function readJsonBody(body: unknown, what: string): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidInput(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** An ISO 8601 timestamp with a time zone (Z or offset), as a Date; local times are ambiguous and refused. */
export const IsoTimestamp = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 timestamp with a time zone, e.g. 2024-03-05T09:12:00Z' }).transform((s) => new Date(s));

/** Unix seconds as a number or numeric string, as Meta sends them, as a Date. */
export const UnixSeconds = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform((v) => new Date(Number(v) * 1000))
  .refine((d) => !Number.isNaN(d.getTime()), 'expected unix seconds');

/** Unix milliseconds as a number or numeric string, as Meta Messenger and X DMs send them, as a Date. */
export const UnixMillis = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform((v) => new Date(Number(v)))
  .refine((d) => !Number.isNaN(d.getTime()), 'expected unix milliseconds');
