import { expect } from 'chai';
import type { Key } from '@kyc-ledger/crypto';
import type { GatewayEndpoint } from '@kyc-ledger/network';
import { attestationRequest } from './attestationFixtures';
import { approve, investorRecord } from './investorFixtures';

interface Reply<T> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { 'x-api-key': gateway.apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** An address's registration as the ledger holds it (the issuer gateway's GET), reduced to what the EVM list mirrors. */
export interface LedgerStatus {
  authenticated: boolean;
  frozen: boolean;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Registry changes of one asset made through the issuer gateway as an issuer's staff would make
 * them (attestation by the certifier, investor record, M-of-N approvals): registrations,
 * deregistrations, freezes, unfreezes and recoveries, picked at random among the ones the current
 * state allows. Remembers every address it ever used, so a check can read each one back.
 */
export class RegistryWorkload {
  /** Every address ever registered (recovered-from and deregistered ones included). */
  readonly addresses: string[] = [];
  private readonly live = new Map<string, { frozen: boolean }>();
  private investors = 0;
  readonly counts = { register: 0, deregister: 0, freeze: 0, unfreeze: 0, recover: 0 };

  constructor(
    private readonly issuer: GatewayEndpoint,
    private readonly certifier: GatewayEndpoint,
    private readonly networkId: string,
    readonly asset: string,
    private readonly officers: Key[],
  ) {}

  /** Creates the asset with the officers (2 of them approve). */
  async createAsset(): Promise<void> {
    const created = await call(this.issuer, 'POST', '/v1/assets', { id: this.asset, name: `Synced ${this.asset}`, officers: { accounts: this.officers.map((o) => o.accountId), threshold: 2 } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
  }

  private approvals(digest: string) {
    return [this.officers[0], this.officers[2]].map((o) => approve(o as Key, this.asset, digest, this.networkId));
  }

  private async attest(): Promise<{ key: Key; attestationId: string }> {
    const { input, key } = attestationRequest(this.networkId);
    const attested = await call<{ attestation: { id: string } }>(this.certifier, 'POST', '/v1/attestations', input);
    expect(attested.status, JSON.stringify(attested.body)).to.equal(201);
    return { key, attestationId: attested.body.attestation.id };
  }

  private async digest(request: Record<string, unknown>): Promise<string> {
    const reply = await call<{ digest: string }>(this.issuer, 'POST', `/v1/assets/${this.asset}/approval-requests`, request);
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return reply.body.digest;
  }

  private path(address: string, action: string): string {
    return `/v1/assets/${this.asset}/registrations/${encodeURIComponent(address)}/${action}`;
  }

  /** Registers `count` new investors at once (the gateway batches them into few transactions). */
  async register(count = 1): Promise<void> {
    await Promise.all(Array.from({ length: count }, async () => {
      const investor = `inv-sync-${++this.investors}`;
      const [{ key, attestationId }, put] = await Promise.all([
        this.attest(),
        call(this.issuer, 'POST', '/v1/investors', { ...investorRecord(investor, { amlScreenedAt: iso(Date.now() - 10 * DAY), kycVerifiedAt: iso(Date.now() - 10 * DAY) }), issuer: undefined }),
      ]);
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      const registration = { address: key.accountId, investor, certifier: 'Certifier1MSP', attestationId };
      const digest = await this.digest({ action: 'register', ...registration });
      const registered = await call(this.issuer, 'POST', `/v1/assets/${this.asset}/registrations`, { ...registration, approvals: this.approvals(digest) });
      expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
      this.addresses.push(key.accountId);
      this.live.set(key.accountId, { frozen: false });
      this.counts.register++;
    }));
  }

  /** One change the current state allows, picked with `random`; registers when few addresses are left. */
  async randomChange(random: () => number): Promise<string> {
    const live = [...this.live.entries()];
    if (live.length < 3) {
      await this.register();
      return 'register';
    }
    const [address, state] = live[Math.floor(random() * live.length)] as [string, { frozen: boolean }];
    const kinds = ['register', 'deregister', state.frozen ? 'unfreeze' : 'freeze', 'recover'] as const;
    const kind = kinds[Math.floor(random() * kinds.length)] as (typeof kinds)[number];
    if (kind === 'register') {
      await this.register();
    } else if (kind === 'deregister') {
      await this.expectOk(call(this.issuer, 'POST', this.path(address, 'deregister')));
      this.live.delete(address);
    } else if (kind === 'freeze') {
      await this.expectOk(call(this.issuer, 'POST', this.path(address, 'freeze')));
      state.frozen = true;
    } else if (kind === 'unfreeze') {
      const digest = await this.digest({ action: 'unfreezeAddress', address });
      await this.expectOk(call(this.issuer, 'POST', this.path(address, 'unfreeze'), { approvals: this.approvals(digest) }));
      state.frozen = false;
    } else {
      const { key, attestationId } = await this.attest();
      const digest = await this.digest({ action: 'recover', from: address, to: key.accountId, attestationId });
      await this.expectOk(call(this.issuer, 'POST', this.path(address, 'recover'), { to: key.accountId, attestationId, approvals: this.approvals(digest) }));
      this.live.delete(address);
      this.addresses.push(key.accountId);
      this.live.set(key.accountId, { frozen: state.frozen });
    }
    this.counts[kind]++;
    return kind;
  }

  private async expectOk(reply: Promise<Reply<unknown>>): Promise<void> {
    const { status, body } = await reply;
    expect(status, JSON.stringify(body)).to.equal(200);
  }

  /** The asset's newest registry sequence on the ledger (`registration:changes` through the gateway). */
  async ledgerHead(): Promise<number> {
    const page = await call<{ head: number }>(this.issuer, 'GET', `/v1/assets/${this.asset}/registry-changes?fromSeq=1&limit=1`);
    expect(page.status, JSON.stringify(page.body)).to.equal(200);
    return page.body.head;
  }

  /** The ledger's status of `address`: authenticated while registered; a deregistered address's freeze no longer counts. */
  async ledgerStatus(address: string): Promise<LedgerStatus> {
    const reply = await call<{ status: string; frozen: boolean }>(this.issuer, 'GET', `/v1/assets/${this.asset}/registrations/${encodeURIComponent(address)}`);
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    const authenticated = reply.body.status === 'registered';
    return { authenticated, frozen: authenticated && reply.body.frozen };
  }
}
