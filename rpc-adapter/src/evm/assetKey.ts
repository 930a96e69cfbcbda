import { keccak256, stringToBytes, type Hex } from 'viem';

/** The contract's bytes32 for a ledger asset: keccak256 of the asset id's UTF-8 bytes. */
export function assetKey(assetId: string): Hex {
  return keccak256(stringToBytes(assetId));
}
