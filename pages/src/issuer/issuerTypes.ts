// What the issuer console reads from the issuer's gateway (docs/investor-onboarding.md).

export interface StoredRuleSet {
  hash: string;
  ruleSet: { kind: string; scope: string; effectiveFrom: string; rules?: Record<string, unknown> };
  publishedAt: string;
  publishedBy: string;
}

export interface Asset {
  id: string;
  name: string;
  issuer: string;
  officers: { accounts: string[]; threshold: number; version: number };
  frozen: boolean;
}

export interface Registration {
  asset: string;
  address: string;
  investor: string;
  certifier: string;
  status: 'registered' | 'deregistered';
  frozen: boolean;
  approvedBy: string[];
  registeredAt: string;
  updatedAt: string;
  recoveredTo?: string;
}

export interface Reason {
  code: number;
  name: string;
  party: string;
  module: string;
  message: string;
}

export interface LocalisedVerdict {
  code: number;
  name: string;
  message: string;
  reasons: Reason[];
}
