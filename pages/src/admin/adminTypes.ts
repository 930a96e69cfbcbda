// What the admin console reads from the gateway (docs/gateway.md, governance and network routes).

export interface Member {
  mspId: string;
  name: string;
  roles: string[];
  status: 'active' | 'removed';
  since: string;
  removedAt?: string;
}

export interface Accreditation {
  certifier: string;
  countries: string[];
  claimTopics: string[];
  maxAssuranceLevel: string;
  validFrom: string;
  validUntil: string;
  status: 'active' | 'revoked';
  revokedAt?: string;
}

export interface Proposal {
  id: string;
  action: string;
  payload: Record<string, unknown>;
  proposer: string;
  approvals: string[];
  status: 'open' | 'executed';
  createdAt: string;
  executedAt?: string;
}

export interface NodeStatus {
  name: string;
  kind: 'peer' | 'orderer';
  org: string;
  health: 'ok' | 'down';
  reason?: string;
  height: number | null;
}

export interface Problem {
  code: string;
  message: string;
}

export interface NetworkStatus {
  org: string;
  channel: string;
  checkedAt: string;
  peer: { height: number | null; error?: Problem };
  chaincode: {
    name: string;
    definition: { version: string; sequence: number } | null;
    build: { packageId: string | null; label: string | null; version: string } | null;
    errors?: Problem[];
  };
  nodes: NodeStatus[];
}

/** One private chain linked through the RPC adapter, with its sync status (GET /v1/network/private-chains). */
export interface LinkedChain {
  linkId: string;
  asset: string;
  chainId: number;
  contract: string;
  syncAccount: string;
  appliedSeq: number;
  ledgerHead: number;
  lag: number;
  lastError?: string;
}

/** The org's linked private chains as its gateway reads them from the RPC adapter. */
export interface PrivateChains {
  org: string;
  configured: boolean;
  reachable?: boolean;
  reason?: string;
  checkedAt: string;
  links: LinkedChain[];
}
