import { z } from 'zod';

/** Most attestations one status page evaluates. */
export const MAX_STATUS_PAGE_SIZE = 100;
/** Page size when the request names none. */
export const DEFAULT_STATUS_PAGE_SIZE = 20;

const TOKEN_PREFIX = 'after:';
const ID = /^[0-9a-f]{64}$/;

/** The opaque token of the page that starts after attestation `lastId`. */
export function encodePageToken(lastId: string): string {
  return Buffer.from(`${TOKEN_PREFIX}${lastId}`, 'utf8').toString('base64url');
}

/** The attestation id a token continues after, or undefined when it is not one of ours. */
export function decodePageToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const id = text.startsWith(TOKEN_PREFIX) ? text.slice(TOKEN_PREFIX.length) : '';
  return ID.test(id) ? id : undefined;
}

/** `limit` and `pageToken` query parameters, checked and decoded. */
export const PageQueryShape = {
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `must be a whole number from 1 to ${MAX_STATUS_PAGE_SIZE}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_STATUS_PAGE_SIZE, `must be a whole number from 1 to ${MAX_STATUS_PAGE_SIZE}`)
    .optional()
    .describe(`most attestations in the answer (default ${DEFAULT_STATUS_PAGE_SIZE}, at most ${MAX_STATUS_PAGE_SIZE})`),
  pageToken: z
    .string()
    .refine((t) => decodePageToken(t) !== undefined, 'must be a nextPageToken this endpoint returned')
    .optional()
    .describe('the nextPageToken of the previous page'),
};

/** One page of ids in ascending order, and the token of the next page when there is one. */
export function pageOf(ids: readonly string[], limit: number, pageToken: string | undefined): { ids: string[]; nextPageToken?: string } {
  const after = pageToken === undefined ? undefined : decodePageToken(pageToken);
  const rest = [...new Set(ids)].sort().filter((id) => after === undefined || id > after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return rest.length > page.length && last !== undefined ? { ids: page, nextPageToken: encodePageToken(last) } : { ids: page };
}
