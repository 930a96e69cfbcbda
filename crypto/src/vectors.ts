import { buildCommitmentVectors } from './commitmentVectors.js';
import { buildSignatureVectors } from './signatureVectors.js';

export { buildCommitmentVectors } from './commitmentVectors.js';
export { buildSignatureVectors } from './signatureVectors.js';

/**
 * The exact text of every committed vector file, keyed by file name under test/vectors/. Tests
 * compare these byte for byte with the files, so any change to a format shows up as a diff.
 */
export function vectorFiles(): Record<string, string> {
  // Non-ASCII is \u-escaped so NFC and NFD inputs stay visibly different and no editor can
  // silently re-normalise them.
  const text = (value: unknown): string =>
    `${JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
  return {
    'commitments.json': text(buildCommitmentVectors()),
    'signatures.json': text(buildSignatureVectors()),
  };
}
