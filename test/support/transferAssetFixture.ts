import type { Key } from '@kyc-ledger/crypto';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest } from './attestationFixtures';
import { connectAs } from './gatewayClient';
import { approve, investorRecord, officerKeys } from './investorFixtures';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A JSON POST to a gateway with its API key; a status of 300 or more throws with the body. */
export async function postJson(gateway: GatewayEndpoint, route: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${gateway.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': gateway.apiKey }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Banking rules through governance (a majority of member admins), effective from `effectiveFrom`. */
async function publishBankingRules(network: Network, effectiveFrom: string): Promise<void> {
  const admins = ['bank1', 'bank2', 'issuer1'].map((org) => connectAs(network, org, 'admin'));
  try {
    const payload = {
      kind: 'banking', scope: 'consortium', effectiveFrom,
      rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, amlScreening: { maxAgeDays: 365 }, jurisdictionLists: { sanctioned: ['KP'], highRisk: ['YE'], highRiskPolicy: { policy: 'block' } } },
    };
    const [first, ...others] = admins;
    if (!first) throw new Error('no admin');
    const proposal = JSON.parse(Buffer.from(await first.contract.submitTransaction('registry:propose', JSON.stringify({ action: 'publishRuleSet', payload }))).toString()) as { id: string };
    for (const admin of others) await admin.contract.submitTransaction('registry:approve', proposal.id);
  } finally {
    admins.forEach((a) => a.close());
  }
}

async function inPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  }));
}

/** An asset ready for ERC-1404 transfer checks: its registered investors and their attestations. */
export interface TransferAsset {
  asset: string;
  investors: Key[];
  /** The investors' attestation ids, in the order of {@link investors}. */
  attestationIds: string[];
  /** The i-th check of a reproducible mix: a holder (the first half hold tokens) to any investor. */
  checkOf(i: number): { from: string; to: string; amount: string };
}

/**
 * Through the certifier's and issuer's REST gateways: creates `asset` with securities rules
 * (US investors accredited only, caps, a US lock-up) and consortium banking rules, onboards
 * `count` investors (one in four in the US), registers them and gives the first half tokens.
 * Rules take effect 15 s after they are published, so this takes at least that long.
 */
export async function setUpTransferAsset(network: Network, gateways: GatewayEndpoint[], asset: string, count: number): Promise<TransferAsset> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifier = gateways.find((g) => g.org === 'certifier1');
  const issuer = gateways.find((g) => g.org === 'issuer1');
  if (!certifier || !issuer) throw new Error('certifier1 and issuer1 gateways are needed');
  const officers = officerKeys(3);
  await postJson(issuer, '/v1/assets', { id: asset, name: `${asset} (bench)`, officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } });
  const effectiveFrom = Date.now() + 15_000;
  await postJson(issuer, `/v1/assets/${asset}/rule-sets`, {
    kind: 'securities', effectiveFrom: iso(effectiveFrom),
    rules: {
      jurisdictions: { blocked: ['KP'] },
      investorTypes: { byJurisdiction: { US: { investorTypes: ['accredited'] }, '*': { investorTypes: ['retail', 'professional', 'accredited'] } } },
      holderCaps: { total: 1000, byCountry: { US: 5 } },
      maxBalance: { default: '1000000' },
      lockUp: { periods: [{ jurisdictions: ['US'], days: 365 }] },
    },
  });
  await publishBankingRules(network, iso(effectiveFrom));
  const requests = Array.from({ length: count }, (_, i) => attestationRequest(networkId, { kind: 'ed25519', overrides: { jurisdiction: i % 4 === 0 ? 'US' : 'CH' } }));
  const bulk = await postJson(certifier, '/v1/attestations/bulk', { items: requests.map((r) => r.input) });
  const ids = bulk['ids'] as string[];
  const investors: Key[] = [];
  await inPool(count, 8, async (i) => {
    const us = i % 4 === 0;
    const type = us ? 'accredited' : i % 3 === 0 ? 'retail' : 'professional';
    const { issuer: _issuer, ...record } = investorRecord(`${asset}-${i}`, {
      jurisdiction: us ? 'US' : 'CH', investorType: type, amlScreenedAt: iso(Date.now() - 30 * DAY), kycVerifiedAt: iso(Date.now() - 30 * DAY),
      ...(type === 'accredited' && { accreditationExpiresAt: iso(Date.now() + 365 * DAY) }),
    });
    void _issuer;
    await postJson(issuer, '/v1/investors', record);
    const key = (requests[i] as { key: Key }).key;
    const registration = { address: key.accountId, investor: `${asset}-${i}`, certifier: 'Certifier1MSP', attestationId: ids[i] };
    const { digest } = (await postJson(issuer, `/v1/assets/${asset}/approval-requests`, { action: 'register', ...registration })) as { digest: string };
    await postJson(issuer, `/v1/assets/${asset}/registrations`, { ...registration, approvals: [officers[0], officers[1]].map((o) => approve(o as Key, asset, digest, networkId)) });
    investors[i] = key;
  });
  await new Promise((r) => setTimeout(r, Math.max(0, effectiveFrom - Date.now()) + 500));
  const holders = Math.floor(count / 2);
  for (const holder of investors.slice(0, holders)) await postJson(issuer, `/v1/assets/${asset}/transfers`, { to: holder.accountId, amount: '1000' });
  return {
    asset,
    investors,
    attestationIds: ids,
    checkOf: (i) => {
      const from = investors[i % holders] as Key;
      const to = investors[(i * 7 + 3) % count] as Key;
      return { from: from.accountId, to: to.accountId, amount: String(1 + (i % 900)) };
    },
  };
}
