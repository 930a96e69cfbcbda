import type { ReceiptInput } from '@kyc-ledger/gateway';

/** A well-formed consent receipt whose session hash is `n` (so receipts are told apart by number). */
export const receipt = (n: number): ReceiptInput => ({
  sessionIdHash: n.toString(16).padStart(64, '0'),
  subject: 'eip155:1:0x0000000000000000000000000000000000000001',
  attestationId: 'ab'.repeat(32),
  result: 'verified',
  reasons: [],
  consentHash: 'cd'.repeat(32),
  salt: '5a'.repeat(32),
});
