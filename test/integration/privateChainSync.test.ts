import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import type { Key } from '@kyc-ledger/crypto';
import { RPC_ADAPTER_ID, rpcAdapterClient, rpcAdapterEndpoint, type GatewayEndpoint, type Network, type RpcAdapterEndpoint } from '@kyc-ledger/network';
import { createAdapterClient, evmAccountOf, kycRegistryTokenAbi, registryTokenReader, syncAccountOf, type AdapterClient, type ChainLinkMessage, type WatchChangesResponse } from '@kyc-ledger/rpc-adapter';
import { BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, http, type Address, type Chain, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { attestationRequest } from '../support/attestationFixtures';
import { approve, investorRecord, officerKeys } from '../support/investorFixtures';
import { createTestNetwork, eventually, testProgress } from '../support/testNetwork';

const ASSET = 'CHAIN-SYNC-1';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { 'x-api-key': gateway.apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The ERC-1404 code a transfer reverts with (TransferRestricted(code)), simulated as `from` (eth_call). */
async function transferRevertCode(client: PublicClient, contract: Address, from: Address, to: Address): Promise<number> {
  try {
    await client.simulateContract({ address: contract, abi: kycRegistryTokenAbi, functionName: 'transfer', args: [to, 1n], account: from });
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName === 'TransferRestricted') return Number(reverted.data.args?.[0]);
    throw error;
  }
  return 0;
}

describe('an issuer\'s private EVM chain kept in step with the ledger by the RPC adapter (end-to-end)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let issuer: GatewayEndpoint;
  let certifier: GatewayEndpoint;
  let adapter: RpcAdapterEndpoint;
  let issuerClient: AdapterClient;
  let bankClient: AdapterClient;
  let client: PublicClient;
  let chain: Chain;
  let networkId: string;
  let officers: Key[];
  let investor: Key;
  let investorAddress: Address;
  let link: ChainLinkMessage;

  before(async function () {
    network = createTestNetwork('chainsync');
    const up = await network.up(testProgress());
    const gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    issuer = gateways['issuer1'] as GatewayEndpoint;
    certifier = gateways['certifier1'] as GatewayEndpoint;
    networkId = `${network.config.name}/${network.config.channel.name}`;
    officers = officerKeys(3);
    const found = rpcAdapterEndpoint(network.config, network.layout);
    if (!found || !up.rpcAdapter) throw new Error('the default network runs no RPC adapter');
    adapter = found;
    issuerClient = rpcAdapterClient(adapter);
    const bank = network.config.orgs.find((o) => o.name === 'bank1');
    if (!bank) throw new Error('no bank1');
    const msp = network.layout.orgUser(bank).msp;
    const only = (dir: string) => path.join(dir, readdirSync(dir)[0] as string);
    bankClient = createAdapterClient({
      address: adapter.address,
      serverCaPem: readFileSync(adapter.serverCaFile),
      certPem: readFileSync(only(path.join(msp, 'signcerts'))),
      keyPem: readFileSync(only(path.join(msp, 'keystore'))),
      serverName: 'localhost',
    });
    const evm = up.privateChains[0];
    if (!evm) throw new Error('no private chain');
    client = createPublicClient({ transport: http(evm.httpUrl), pollingInterval: 250 });
    const chainId = await client.getChainId();
    chain = { id: chainId, name: 'issuer1-evm', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [evm.httpUrl] } } };
  });

  after(async function () {
    issuerClient?.close();
    bankClient?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  it('auto-links a new asset of issuer1 to its chain: a contract is deployed, the sync account shown', async function () {
    const created = await call(issuer, 'POST', '/v1/assets', { id: ASSET, name: 'Chain-synced asset', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    link = await eventually(async () => {
      const { links } = await issuerClient.listLinks(ASSET);
      const [only] = links;
      if (!only) throw new Error(`no link of ${ASSET} yet`);
      return only;
    }, 120_000);
    expect(link.org).to.equal('Issuer1MSP');
    expect(link.chain.chainId).to.equal(chain.id);
    expect(link.chain.contractAddress).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(link.syncAccount).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(await client.getCode({ address: link.chain.contractAddress as Address })).to.not.equal(undefined);
  });

  it('a registered investor appears on the contract; the owner mints to it', async function () {
    const { input, key } = attestationRequest(networkId, { overrides: { jurisdiction: 'CH' } });
    investor = key;
    const address = evmAccountOf(key.accountId);
    if (!address) throw new Error(`${key.accountId} is not an EVM account`);
    investorAddress = address;
    const attested = await call<{ attestation: { id: string } }>(certifier, 'POST', '/v1/attestations', input);
    expect(attested.status, JSON.stringify(attested.body)).to.equal(201);
    const { issuer: _issuer, ...record } = investorRecord('inv-evm', {
      jurisdiction: 'CH', investorType: 'professional', amlScreenedAt: iso(Date.now() - 10 * DAY), kycVerifiedAt: iso(Date.now() - 10 * DAY),
    });
    void _issuer;
    const put = await call(issuer, 'POST', '/v1/investors', record);
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const registration = { address: key.accountId, investor: 'inv-evm', certifier: 'Certifier1MSP', attestationId: attested.body.attestation.id };
    const request = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${ASSET}/approval-requests`, { action: 'register', ...registration });
    expect(request.status, JSON.stringify(request.body)).to.equal(200);
    const approvals = [officers[0], officers[2]].map((o) => approve(o as Key, ASSET, request.body.digest, networkId));
    const registered = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);

    const token = registryTokenReader(client, link.chain.contractAddress as Address);
    await eventually(async () => expect(await token.isAuthenticated(investorAddress)).to.equal(true), 120_000);
    const status = await eventually(async () => {
      const s = await issuerClient.getSyncStatus(link.linkId);
      expect([s.appliedSeq, s.ledgerHead, s.lag]).to.deep.equal([1, 1, 0]);
      return s;
    }, 60_000);
    expect(status.syncAccount).to.equal(link.syncAccount);

    // The dev setup makes the sync account the token's owner; its key derives from the adapter's master secret.
    const owner = syncAccountOf(readFileSync(path.join(network.layout.nodeDir(RPC_ADAPTER_ID), 'sync-master-secret')), link.linkId);
    expect(owner.address).to.equal(link.syncAccount);
    const wallet = createWalletClient({ account: owner, chain, transport: http(chain.rpcUrls.default.http[0]) });
    const hash = await wallet.writeContract({ address: link.chain.contractAddress as Address, abi: kycRegistryTokenAbi, functionName: 'mint', args: [investorAddress, 1000n], chain, account: owner });
    expect((await client.waitForTransactionReceipt({ hash })).status).to.equal('success');
  });

  it('a transfer to a not-registered address reverts with ERC-1404 code 2', async function () {
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    expect(await transferRevertCode(client, link.chain.contractAddress as Address, investorAddress, stranger)).to.equal(2);
    // To itself (an authenticated recipient) it passes.
    expect(await transferRevertCode(client, link.chain.contractAddress as Address, investorAddress, investorAddress)).to.equal(0);
  });

  it('after a freeze on the ledger a transfer from the investor reverts with code 3', async function () {
    const frozen = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(investor.accountId)}/freeze`);
    expect(frozen.status, JSON.stringify(frozen.body)).to.equal(200);
    await eventually(async () => expect(await transferRevertCode(client, link.chain.contractAddress as Address, investorAddress, investorAddress)).to.equal(3), 120_000);
  });

  it('after deregistration a transfer from it reverts with code 1', async function () {
    const gone = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(investor.accountId)}/deregister`);
    expect(gone.status, JSON.stringify(gone.body)).to.equal(200);
    await eventually(async () => expect(await transferRevertCode(client, link.chain.contractAddress as Address, investorAddress, investorAddress)).to.equal(1), 120_000);
    const s = await eventually(async () => {
      const answer = await issuerClient.getSyncStatus(link.linkId);
      expect(answer.lag).to.equal(0);
      return answer;
    }, 60_000);
    expect([s.appliedSeq, s.ledgerHead]).to.deep.equal([3, 3]);
  });

  it('WatchChanges over the network streams these changes in order', async function () {
    const stream = issuerClient.watchChanges({ asset: ASSET, resumeToken: '' });
    const changes: string[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (message: WatchChangesResponse) => {
        if (message.event !== 'change' || !message.change) return;
        changes.push(`${message.change.seq} ${message.change.op} ${message.change.address}`);
        if (changes.length === 3) {
          stream.cancel();
          resolve();
        }
      });
      stream.on('error', (error: grpc.ServiceError) => (error.code === grpc.status.CANCELLED ? resolve() : reject(error)));
    });
    expect(changes).to.deep.equal([
      `1 REGISTRY_OP_AUTHENTICATE ${investor.accountId}`,
      `2 REGISTRY_OP_FREEZE ${investor.accountId}`,
      `3 REGISTRY_OP_REVOKE ${investor.accountId}`,
    ]);
  });

  it('a Bank1 client certificate is refused on issuer1\'s asset', async function () {
    const refused = await bankClient.getAddress(ASSET, investor.accountId).then(() => undefined, (error: grpc.ServiceError) => error);
    expect(refused?.code).to.equal(grpc.status.PERMISSION_DENIED);
    expect((await bankClient.listLinks()).links).to.deep.equal([]);
  });

  it('status shows the adapter and the linked chain with its sync', async function () {
    const status = await network.status();
    const node = status.nodes.find((n) => n.kind === 'rpc-adapter');
    expect([node?.running, node?.healthy]).to.deep.equal([true, true]);
    expect(status.linkedChains?.map((l) => [l.asset, l.appliedSeq, l.ledgerHead, l.lag])).to.deep.equal([[ASSET, 3, 3, 0]]);
  });
});
