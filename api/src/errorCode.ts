import { CryptoErrorCodes } from '@kyc-ledger/crypto';
import { AdapterErrorCodes } from './adapterErrorCodes';
import { GatewayErrorCodes } from './gatewayErrorCodes';
import { LedgerErrorCodes } from './ledgerErrorCodes';

/**
 * Every error code of kyc-ledger, one list: the chaincode's ({@link LedgerErrorCodes}), the
 * gateways' ({@link GatewayErrorCodes}), the RPC adapter's ({@link AdapterErrorCodes}) and the crypto core's (`CryptoErrorCodes`, which the
 * chaincode passes on unchanged). The gateway's HTTP status table is typed over it, so adding a
 * code without a status, or removing one still in use, does not compile.
 */
export const AllErrorCodes = { ...LedgerErrorCodes, ...GatewayErrorCodes, ...AdapterErrorCodes, ...CryptoErrorCodes } as const;

/** One of {@link AllErrorCodes}. */
export type ErrorCode = (typeof AllErrorCodes)[keyof typeof AllErrorCodes];

/** True when `code` is one of {@link AllErrorCodes}. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(AllErrorCodes, code);
}
