import type { BankingRuleSet, RuleSet, SecuritiesRuleSet, TransferCheckInput } from './compliance';
import { evaluateTransfer, type TransferVerdict } from './compliance/evaluateTransfer';

/** What a transfer verdict is computed from: the facts read from the ledger and the rule sets in force. */
export interface VerdictFacts {
  input: TransferCheckInput;
  rules: { banking?: RuleSet; securities?: RuleSet };
}

/**
 * The verdict of a transfer check: detectTransfer's pure part, run by `transfer:detect`,
 * `transfer:record` and `transfer:execute` on the peer and by the issuer gateway's replica.
 */
export function verdictOf(facts: VerdictFacts): TransferVerdict {
  return evaluateTransfer(facts.input, {
    ...(facts.rules.banking && { banking: facts.rules.banking as BankingRuleSet }),
    ...(facts.rules.securities && { securities: facts.rules.securities as SecuritiesRuleSet }),
  });
}
