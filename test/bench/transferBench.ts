import type { Key } from '@kyc-ledger/crypto';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { approve, investorRecord, officerKeys } from '../support/investorFixtures';
import { percentile, round, runPool, type BenchReport } from './benchReport';

const INVESTORS = Number(process.env.KYC_BENCH_INVESTORS ?? 40);
const CHECKS = Number(process.env.KYC_BENCH_CHECKS ?? 4000);
const CONCURRENCY = 32;
const ASSET = 'BENCH-ASSET';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function call(gateway: GatewayEndpoint, route: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${gateway.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': gateway.apiKey }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Banking rules through governance (a majority of member admins), effective a few seconds on. */
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

/**
 * ERC-1404 transfer checks through the issuer's gateway (`POST /v1/assets/:asset/transfer-checks`):
 * each gathers the facts on the issuer's peer (registrations, private investor records, holdings,
 * attestations, rule sets) and runs every banking and securities module.
 */
export async function benchTransferChecks(report: BenchReport, network: Network, gateways: GatewayEndpoint[]): Promise<void> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifier = gateways.find((g) => g.org === 'certifier1');
  const issuer = gateways.find((g) => g.org === 'issuer1');
  if (!certifier || !issuer) throw new Error('certifier1 and issuer1 gateways are needed');

  process.stderr.write(`  … onboarding ${INVESTORS} investors (not timed)\n`);
  const officers = officerKeys(3);
  await call(issuer, '/v1/assets', { id: ASSET, name: 'Bench asset', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } });
  const effectiveFrom = Date.now() + 15_000;
  await call(issuer, `/v1/assets/${ASSET}/rule-sets`, {
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
  const requests = Array.from({ length: INVESTORS }, (_, i) => attestationRequest(networkId, { kind: 'ed25519', overrides: { jurisdiction: i % 4 === 0 ? 'US' : 'CH' } }));
  const bulk = await call(certifier, '/v1/attestations/bulk', { items: requests.map((r) => r.input) });
  const ids = bulk['ids'] as string[];
  const investors: Key[] = [];
  await runPool(INVESTORS, 8, async (i) => {
    const us = i % 4 === 0;
    const type = us ? 'accredited' : i % 3 === 0 ? 'retail' : 'professional';
    const { issuer: _issuer, ...record } = investorRecord(`bench-${i}`, {
      jurisdiction: us ? 'US' : 'CH', investorType: type, amlScreenedAt: iso(Date.now() - 30 * DAY), kycVerifiedAt: iso(Date.now() - 30 * DAY),
      ...(type === 'accredited' && { accreditationExpiresAt: iso(Date.now() + 365 * DAY) }),
    });
    void _issuer;
    await call(issuer, '/v1/investors', record);
    const key = (requests[i] as { key: Key }).key;
    const registration = { address: key.accountId, investor: `bench-${i}`, certifier: 'Certifier1MSP', attestationId: ids[i] };
    const { digest } = (await call(issuer, `/v1/assets/${ASSET}/approval-requests`, { action: 'register', ...registration })) as { digest: string };
    await call(issuer, `/v1/assets/${ASSET}/registrations`, { ...registration, approvals: [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, networkId)) });
    investors[i] = key;
  });
  await new Promise((r) => setTimeout(r, Math.max(0, effectiveFrom - Date.now()) + 500));
  for (const holder of investors.slice(0, INVESTORS / 2)) await call(issuer, `/v1/assets/${ASSET}/transfers`, { to: holder.accountId, amount: '1000' });

  process.stderr.write(`  … ${CHECKS} transfer checks, ${CONCURRENCY} in flight\n`);
  const codes = new Map<number, number>();
  const started = performance.now();
  const latencies = await runPool(CHECKS, CONCURRENCY, async (i) => {
    const from = investors[i % (INVESTORS / 2)] as Key;
    const to = investors[(i * 7 + 3) % INVESTORS] as Key;
    const verdict = (await call(issuer, `/v1/assets/${ASSET}/transfer-checks`, { from: from.accountId, to: to.accountId, amount: String(1 + (i % 900)) })) as { code: number };
    codes.set(verdict.code, (codes.get(verdict.code) ?? 0) + 1);
  });
  const rate = CHECKS / ((performance.now() - started) / 1000);
  const mix = [...codes.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}:${n}`).join(' ');
  report.add('transfer.checks.perSecond', { value: rate, unit: 'checks/s', target: '>= 1000', note: `through issuer1's gateway (transfer:detect on its peer), ${CONCURRENCY} in flight, ${INVESTORS} investors; verdict codes ${mix}` });
  report.add('transfer.checks.p99', { value: percentile(latencies, 99), unit: 'ms', note: `p50 ${round(percentile(latencies, 50))} ms` });
}
