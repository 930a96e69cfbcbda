import type { Registration, StoredRuleSet } from './issuerTypes';

/** Where a rule set version stands at `now`. */
export type RuleSetState = 'in force' | 'scheduled' | 'superseded';

/**
 * Each version's state: the one in force is the latest effectiveFrom not after `now` (of equal
 * dates the one published last, as the chaincode decides), later ones are scheduled, earlier
 * ones superseded. No DOM: unit tested.
 */
export function ruleSetStates(versions: readonly StoredRuleSet[], now: Date): RuleSetState[] {
  const at = now.getTime();
  let inForce = -1;
  let best = -Infinity;
  versions.forEach((v, i) => {
    const from = Date.parse(v.ruleSet.effectiveFrom);
    if (from <= at && from >= best) {
      inForce = i;
      best = from;
    }
  });
  return versions.map((v, i) => (i === inForce ? 'in force' : Date.parse(v.ruleSet.effectiveFrom) > at ? 'scheduled' : 'superseded'));
}

/**
 * Registrations awaiting officer approvals. A registration is written only together with its
 * M-of-N approvals, so none is ever pending itself; what waits for officers is the unfreeze of
 * a frozen, still registered address (M-of-N approvals).
 */
export function awaitingApproval(registrations: readonly Registration[]): Registration[] {
  return registrations.filter((r) => r.status === 'registered' && r.frozen);
}

/** The languages the transfer-check reasons are written in (rules' messageForTransferRestriction). */
export const REASON_LANGUAGES: readonly { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'fr', name: 'Français' },
];
