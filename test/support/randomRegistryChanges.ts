import { RegistryOps, type RegistryOp } from '@kyc-ledger/api';
import { privateKeyToAddress } from 'viem/accounts';

/** A small seeded PRNG (mulberry32) so a failing randomized run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A few EVM accounts (so changes hit the same ones again) and one non-EVM address (op none).
const evmAddresses = Array.from({ length: 6 }, (_, i) => `eip155:1:${privateKeyToAddress(`0x${(i + 1).toString(16).padStart(64, '0')}`)}`);
const otherAddress = 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp:7S3P4HxJpyyigGzodYwHtCxZyUQe9JiBMHyRWXArAaKv';

/** A random registry change (op and address) over a small pool of addresses. */
export function randomRegistryChange(random: () => number): { op: RegistryOp; address: string } {
  const roll = random();
  if (roll < 0.05) return { op: RegistryOps.FREEZE_ASSET, address: '' };
  if (roll < 0.1) return { op: RegistryOps.UNFREEZE_ASSET, address: '' };
  const address = random() < 0.1 ? otherAddress : evmAddresses[Math.floor(random() * evmAddresses.length)]!;
  const ops = [RegistryOps.AUTHENTICATE, RegistryOps.AUTHENTICATE, RegistryOps.REVOKE, RegistryOps.FREEZE, RegistryOps.UNFREEZE] as const;
  return { op: ops[Math.floor(random() * ops.length)]!, address };
}
