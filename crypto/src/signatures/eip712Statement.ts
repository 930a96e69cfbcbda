import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../bytes.js';
import { parseAccountId } from '../caip10.js';
import { CryptoError, CryptoErrorCodes } from '../cryptoError.js';
import { typedDataDigest, type TypedData } from '../eip712.js';
import { statementBytes, STATEMENT_DOMAIN, type Statement } from '../statement.js';
import { encodeEthereumSignature, recoverEthereumSigner } from './eip191.js';
import { signSecp256k1Digest } from './secp256k1Recovery.js';
import type { VerifyResult } from './verifyResult.js';

/**
 * EIP-712 types of a statement. The wallet shows purpose, channel and account in clear; the rest
 * of the statement is bound by its SHA-256, so one fixed type covers every purpose.
 */
export const KYC_STATEMENT_TYPES = {
  EIP712Domain: [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
  ],
  KycStatement: [
    { name: 'purpose', type: 'string' },
    { name: 'network', type: 'string' },
    { name: 'account', type: 'address' },
    { name: 'statementHash', type: 'bytes32' },
  ],
} as const;

/**
 * The `eth_signTypedData_v4` request for a statement. chainId is a number when it is a safe
 * integer (what wallets expect) and a decimal string otherwise; both encode the same uint256.
 */
export function statementTypedData(statement: Statement): TypedData {
  const account = parseAccountId(statement.address);
  if (account.namespace !== 'eip155') {
    throw new CryptoError(CryptoErrorCodes.UNSUPPORTED_SCHEME, 'eip712 signatures need an eip155 address');
  }
  const chainId = BigInt(account.reference);
  return {
    types: { EIP712Domain: [...KYC_STATEMENT_TYPES.EIP712Domain], KycStatement: [...KYC_STATEMENT_TYPES.KycStatement] },
    primaryType: 'KycStatement',
    domain: {
      name: STATEMENT_DOMAIN,
      version: '1',
      chainId: chainId <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(chainId) : account.reference,
    },
    message: {
      purpose: statement.purpose,
      network: statement.network,
      account: account.address,
      statementHash: `0x${bytesToHex(sha256(statementBytes(statement)))}`,
    },
  };
}

/** The 32-byte EIP-712 digest a wallet signs for `statement`. */
export function statementTypedDataDigest(statement: Statement): Uint8Array {
  return typedDataDigest(statementTypedData(statement));
}

/** Signs a statement as EIP-712 typed data; returns `0x r ‖ s ‖ v`. */
export function signStatementTypedData(statement: Statement, privateKey: Uint8Array): string {
  const { recid, rs } = signSecp256k1Digest(statementTypedDataDigest(statement), privateKey);
  return encodeEthereumSignature(recid, rs);
}

/** Recovers the EIP-55 address that signed `statement` as typed data. Never throws for a bad signature. */
export function recoverStatementTypedDataSigner(statement: Statement, signature: string): VerifyResult {
  return recoverEthereumSigner(statementTypedDataDigest(statement), signature);
}
