import { canonicalize } from 'json-canonicalize';
import type { Decision, StoredRuleSet } from '@kyc-ledger/rules';
import { evaluateTransfer, type BankingRuleSet, type SecuritiesRuleSet, type TransferVerdict } from '@kyc-ledger/rules';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';

/** The outcome of replaying one recorded decision. */
export interface ReplayResult {
  id: string;
  asset: string;
  recordedAt: string;
  ruleSetHashes: TransferVerdict['ruleSetHashes'];
  recorded: TransferVerdict;
  replayed: TransferVerdict;
  /** True when the replayed verdict is identical (code, every reason, hashes). */
  same: boolean;
}

/**
 * Replays a recorded decision outside the chaincode: the recorded inputs, the rule-set versions
 * named by their hashes (fetched from the ledger, whatever is in force today) and the same
 * engine. A different verdict would mean the engine changed how it decides.
 */
export async function replayDecision(ledger: LedgerClient, asset: string, id: string): Promise<ReplayResult> {
  const decision = await ledger.evaluate<Decision>(F.TRANSFER_DECISION, [canonicalize({ asset, id })]);
  const hashes = decision.verdict.ruleSetHashes;
  const fetch = async (hash: string | undefined) => (hash ? (await ledger.evaluate<StoredRuleSet>(F.ASSET_RULE_SET, [hash])).ruleSet : undefined);
  const [banking, securities] = await Promise.all([fetch(hashes.banking), fetch(hashes.securities)]);
  const replayed = evaluateTransfer(decision.input, {
    ...(banking && { banking: banking as BankingRuleSet }),
    ...(securities && { securities: securities as SecuritiesRuleSet }),
  });
  return {
    id: decision.id,
    asset: decision.asset,
    recordedAt: decision.recordedAt,
    ruleSetHashes: hashes,
    recorded: decision.verdict,
    replayed,
    same: canonicalize(replayed) === canonicalize(decision.verdict),
  };
}
