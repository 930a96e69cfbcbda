import type { z } from 'zod';
import { ChaincodeError, ErrorCodes } from './errors';

/** Parses a JSON argument against a schema; every problem is listed in one INVALID_ARGUMENT error. */
export function parseInput<S extends z.ZodType>(schema: S, json: string, what: string): z.output<S> {
  return parseValue(schema, parseJsonArgument(json, what), what);
}

/** A JSON argument's value, or INVALID_ARGUMENT when it is not JSON. */
export function parseJsonArgument(json: string, what: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `${what} is not valid JSON`, { problems: ['(root): not valid JSON'] });
  }
}

/** {@link parseInput} for a value already parsed from JSON (or built as JSON would be). */
export function parseValue<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `invalid ${what}`, { problems });
  }
  return parsed.data;
}
