import { RegistryOps, type RegistryChange, type RegistryOp } from '@kyc-ledger/api';
import { getAddress, zeroAddress, type Address } from 'viem';

/** The contract's op codes (KycRegistryToken.OP_*). */
export const EvmOps = {
  NONE: 0,
  AUTHENTICATE: 1,
  REVOKE: 2,
  FREEZE: 3,
  UNFREEZE: 4,
  FREEZE_ASSET: 5,
  UNFREEZE_ASSET: 6,
} as const;

/** One element of `applyChanges`' `ops`. */
export interface EvmChange {
  op: number;
  account: Address;
}

const codeOf: Record<RegistryOp, number> = {
  [RegistryOps.AUTHENTICATE]: EvmOps.AUTHENTICATE,
  [RegistryOps.REVOKE]: EvmOps.REVOKE,
  [RegistryOps.FREEZE]: EvmOps.FREEZE,
  [RegistryOps.UNFREEZE]: EvmOps.UNFREEZE,
  [RegistryOps.FREEZE_ASSET]: EvmOps.FREEZE_ASSET,
  [RegistryOps.UNFREEZE_ASSET]: EvmOps.UNFREEZE_ASSET,
};

const eip155Account = /^eip155:[-_a-zA-Z0-9]{1,32}:(0x[0-9a-fA-F]{40})$/;

/**
 * The EVM account of a ledger address: `eip155:<any chain>:0x…` is the same 20-byte account on
 * every EVM chain; anything else (another namespace) has none.
 */
export function evmAccountOf(address: string): Address | undefined {
  const match = eip155Account.exec(address);
  return match?.[1] === undefined ? undefined : getAddress(match[1].toLowerCase());
}

/**
 * What a ledger change does on the EVM chain. A change of an address with no EVM account becomes
 * op 0 (none): it has no effect there but still advances the contract's sequence, so the
 * sequence stays gapless.
 */
export function evmChangeOf(change: Pick<RegistryChange, 'op' | 'address'>): EvmChange {
  const op = codeOf[change.op];
  if (op === EvmOps.FREEZE_ASSET || op === EvmOps.UNFREEZE_ASSET) return { op, account: zeroAddress };
  const account = evmAccountOf(change.address);
  return account === undefined ? { op: EvmOps.NONE, account: zeroAddress } : { op, account };
}
