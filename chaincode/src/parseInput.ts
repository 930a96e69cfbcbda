import type { z } from 'zod';
import { ChaincodeError, ErrorCodes } from './errors';

/** Parses a JSON argument against a schema; every problem is listed in one INVALID_ARGUMENT error. */
export function parseInput<S extends z.ZodType>(schema: S, json: string, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `${what} is not valid JSON`, { problems: ['(root): not valid JSON'] });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `invalid ${what}`, { problems });
  }
  return parsed.data;
}
