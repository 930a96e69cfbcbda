import type { Context } from 'fabric-contract-api';
import { requireAssetIssuer } from './assetAccess';
import { verdictOf, type TransferVerdict } from '@kyc-ledger/rules';
import { transferInputSchema } from './investorModel';
import { parseJsonArgument, parseValue } from './parseInput';
import { gatherTransferFacts } from './transferFacts';
import { txTimeIso } from './txTime';

export { verdictOf } from '@kyc-ledger/rules';

/**
 * `transfer:detect` without the contract around it: the caller must be the asset's issuer, the
 * facts are read at the transaction time. Free of fabric-contract-api's decorators so the issuer
 * gateway can run this very code against its block-fed replica and give the peer's answer.
 */
export async function detectTransfer(ctx: Context, input: string): Promise<TransferVerdict> {
  return detectTransferOf(ctx, parseJsonArgument(input, 'transfer'));
}

/** {@link detectTransfer} of a JSON value already parsed (the issuer gateway's own request body). */
export async function detectTransferOf(ctx: Context, input: unknown): Promise<TransferVerdict> {
  const data = parseValue(transferInputSchema, input, 'transfer');
  const { asset } = await requireAssetIssuer(ctx, data.asset);
  return verdictOf(await gatherTransferFacts(ctx, asset, data, txTimeIso(ctx)));
}
