import { WalletError } from './walletError.js';

const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * A response body as text, refusing (with `code`) one larger than 1 MiB: a server the wallet talks
 * to must not be able to make it buffer without bound.
 */
export async function readLimited(response: Response, code: string, what: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new WalletError(code, `${what} is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
