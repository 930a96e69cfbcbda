import { contentHash } from './contentHash';
import type { TransferCheckInput } from './transferCheckInput';

/** Names the exact facts a verdict was computed from, so a replay can show it used the same ones. */
export function inputsHash(input: TransferCheckInput): string {
  return contentHash(input);
}
