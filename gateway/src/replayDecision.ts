import { canonicalize } from 'json-canonicalize';
import type { Decision, StoredRuleSet } from '@kyc-ledger/rules';
import { evaluateTransfer, type BankingRuleSet, type SecuritiesRuleSet, type TransferVerdict } from '@kyc-ledger/rules';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';

/**
 * The outcome of replaying one recorded decision: `REPLAYED`, or `INPUTS_ERASED` when a party's
 * investor record was erased (its inputs purged), so only the recorded verdict and hashes remain.
 */
export type ReplayResult = ReplayedDecision | ErasedDecision;

interface ReplayBase {
  id: string;
  asset: string;
  recordedAt: string;
  ruleSetHashes: TransferVerdict['ruleSetHashes'];
  recorded: TransferVerdict;
}

export interface ReplayedDecision extends ReplayBase {
  outcome: 'REPLAYED';
  replayed: TransferVerdict;
  /** True when the replayed verdict is identical (code, every reason, hashes). */
  same: boolean;
}

export interface ErasedDecision extends ReplayBase {
  outcome: 'INPUTS_ERASED';
  /** The parties whose inputs were erased. */
  erased: ('from' | 'to')[];
}

/**
 * Replays a recorded decision outside the chaincode: the recorded inputs, the rule-set versions
 * named by their hashes (fetched from the ledger, whatever is in force today) and the same
 * engine. A different verdict would mean the engine changed how it decides. A decision whose inputs
 * were erased is answered as such, not replayed.
 */
export async function replayDecision(ledger: LedgerClient, asset: string, id: string): Promise<ReplayResult> {
  const decision = await ledger.evaluate<Decision>(F.TRANSFER_DECISION, [canonicalize({ asset, id })]);
  const hashes = decision.verdict.ruleSetHashes;
  const base = { id: decision.id, asset: decision.asset, recordedAt: decision.recordedAt, ruleSetHashes: hashes, recorded: decision.verdict };
  if (!decision.input) return { ...base, outcome: 'INPUTS_ERASED', erased: decision.erased ?? [] };
  const fetch = async (hash: string | undefined) => (hash ? (await ledger.evaluate<StoredRuleSet>(F.ASSET_RULE_SET, [hash])).ruleSet : undefined);
  const [banking, securities] = await Promise.all([fetch(hashes.banking), fetch(hashes.securities)]);
  const replayed = evaluateTransfer(decision.input, {
    ...(banking && { banking: banking as BankingRuleSet }),
    ...(securities && { securities: securities as SecuritiesRuleSet }),
  });
  return {
    ...base,
    outcome: 'REPLAYED',
    replayed,
    same: canonicalize(replayed) === canonicalize(decision.verdict),
  };
}
