/**
 * ERC-1404 restriction codes. The numbers are part of the recorded decisions and of every
 * client's message table, so a code is never renumbered or reused; new codes take free numbers.
 * They stay below 256 because ERC-1404 returns a uint8.
 * Ranges: 1-9 structural, 10-29 banking (consortium), 30-49 securities (per asset).
 */
export const RestrictionCodes = {
  SUCCESS: 0,
  ASSET_FROZEN: 1,
  SENDER_FROZEN: 2,
  RECIPIENT_FROZEN: 3,
  SENDER_NOT_REGISTERED: 4,
  RECIPIENT_NOT_REGISTERED: 5,
  INSUFFICIENT_BALANCE: 6,
  INVALID_AMOUNT: 7,
  NO_RULE_SET: 8,
  INVESTOR_RECORD_MISSING: 10,
  ATTESTATION_INVALID: 11,
  KYC_CLAIMS_MISSING: 12,
  ASSURANCE_TOO_LOW: 13,
  AML_SCREENING_STALE: 14,
  REKYC_OVERDUE: 15,
  RISK_TIER_NOT_ALLOWED: 16,
  RISK_TIER_AMOUNT_LIMIT: 17,
  JURISDICTION_SANCTIONED: 18,
  JURISDICTION_HIGH_RISK: 19,
  PEP_NOT_ALLOWED: 20,
  JURISDICTION_NOT_ALLOWED: 30,
  INVESTOR_TYPE_NOT_ALLOWED: 31,
  ACCREDITATION_EXPIRED: 32,
  CLAIM_TOPICS_MISSING: 33,
  COUNTRY_HOLDER_CAP: 34,
  TOTAL_HOLDER_CAP: 35,
  MAX_BALANCE: 36,
  LOCKED_UP: 37,
} as const;

export type RestrictionCodeName = keyof typeof RestrictionCodes;

const namesByCode: ReadonlyMap<number, RestrictionCodeName> = new Map(
  (Object.keys(RestrictionCodes) as RestrictionCodeName[]).map((name) => [RestrictionCodes[name], name]),
);

/** The SCREAMING_SNAKE name of a code; undefined for a number that is not a restriction code. */
export function restrictionCodeName(code: number): RestrictionCodeName | undefined {
  return namesByCode.get(code);
}
