/** The error body the chaincode throws as JSON text (see docs/chaincode-api.md). */
export interface ChaincodeErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MARKER = '{"code":';

/**
 * Finds the end of the JSON object starting at `start`, honouring strings and escapes, so text
 * that peers or the gateway append after the object does not break the parse.
 */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Extracts the chaincode's `{"code","message","details"}` from an error message such as
 * `chaincode response 500, {"code":"NOT_FOUND",...}`. Undefined when there is none.
 * Text that peers or the gateway add before or after the object is ignored.
 */
export function parseChaincodeErrorBody(text: string): ChaincodeErrorBody | undefined {
  for (let start = text.indexOf(MARKER); start >= 0; start = text.indexOf(MARKER, start + 1)) {
    const end = objectEnd(text, start);
    if (end < 0) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(start, end));
    } catch {
      continue;
    }
    if (isBody(parsed)) return parsed;
  }
  return undefined;
}

function isBody(value: unknown): value is ChaincodeErrorBody {
  if (value === null || typeof value !== 'object') return false;
  const body = value as Record<string, unknown>;
  return typeof body.code === 'string' && CODE.test(body.code) && typeof body.message === 'string';
}
