import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { ChaincodeVersion } from '@kyc-ledger/api';
import { upgradeChaincode, type ApprovalResult, type ChaincodeStatus, type GatewayEndpoint, type Network, type UpgradeResult } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { describeLoad, startSteadyLoad } from '../support/steadyLoad';
import { createTestNetwork, eventually, REPO_ROOT, sleep, testProgress } from '../support/testNetwork';

const run = promisify(execFile);
const NEW_LABEL = 'kyc_0.1.0-upgraded';

/**
 * Acceptance of issue 11 deliverable 6: the chaincode is upgraded (sequence+1, a new package) and
 * rolled back while a steady load of attestations and verifications runs through the gateways.
 * The "new version" is the same compiled source packaged under another label: another package ID,
 * so each peer launches a new chaincode process, and `probe:version` tells which one answers.
 */
describe('chaincode upgrade and rollback under a steady load', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;
  let firstPackageId: string;
  let firstSequence: number;
  const portBase = Number(process.env.KYC_TEST_PORT_BASE ?? 17000);

  before(async function () {
    network = createTestNetwork('upgrade', portBase);
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    firstPackageId = up.chaincode.packageId;
    firstSequence = up.chaincode.sequence;
  });

  after(async function () {
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  /** The kyc-network CLI on this test's network, with --json; its answer parsed. */
  async function cli<T>(...args: string[]): Promise<T> {
    const { stdout } = await run(process.execPath, [
      path.join(REPO_ROOT, 'network', 'dist', 'cli.js'), '--json', '--name', network.config.name, '--data-dir', network.layout.root,
      '--port-base', String(portBase), ...args,
    ], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`kyc-network ${args.join(' ')} failed: ${error.stdout ?? ''} ${error.stderr ?? ''}`);
    });
    return JSON.parse(stdout) as T;
  }

  /** Which package answers `probe:version` at each member org's peer. */
  async function versions(): Promise<Record<string, string | null>> {
    const out: Record<string, string | null> = {};
    for (const org of network.config.orgs) {
      const connection = connectAs(network, org.name);
      try {
        const answer = JSON.parse(Buffer.from(await connection.contract.evaluateTransaction('probe:version')).toString()) as ChaincodeVersion;
        out[org.mspId] = answer.packageId;
      } finally {
        connection.close();
      }
    }
    return out;
  }

  async function everyPeerRuns(packageId: string): Promise<void> {
    await eventually(async () => {
      const seen = await versions();
      for (const [msp, id] of Object.entries(seen)) expect(id, `${msp} runs ${id}`).to.equal(packageId);
    }, 60_000, 1000);
  }

  it('upgrades and rolls back with 0 failed requests after retries; state written before is read by the new version', async function () {
    const networkId = `${network.config.name}/${network.config.channel.name}`;
    const certifier = gateways['certifier1'] as GatewayEndpoint;
    const banks = [gateways['bank1'], gateways['bank2']] as GatewayEndpoint[];
    await everyPeerRuns(firstPackageId);

    // State written before the upgrade.
    const before = [];
    for (let i = 0; i < 3; i++) {
      const request = attestationRequest(networkId, { kind: 'secp256k1' });
      const res = await fetch(`${certifier.url}/v1/attestations`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': certifier.apiKey }, body: JSON.stringify(request.input),
      });
      const body = (await res.json()) as { attestation: { id: string } };
      expect(res.status, JSON.stringify(body)).to.equal(201);
      before.push({ subject: request.key.accountId, id: body.attestation.id });
    }

    const load = startSteadyLoad({ networkId, certifier, banks, ...(process.env.KYC_TEST_VERBOSE && { log: (l: string) => process.stderr.write(`      ${l}\n`) }) });
    try {
      await sleep(5000);
      // One member approves on its own (what it would run on its own host), then the upgrade
      // approves for the others, finds the majority and commits.
      const own = await cli<ApprovalResult>('chaincode', 'approve', '--org', 'bank1', '--label', NEW_LABEL);
      expect(own).to.include({ mspId: 'Bank1MSP', sequence: firstSequence + 1, outcome: 'approved', readyToCommit: false });
      expect(own.approvals).to.include({ Bank1MSP: true, Certifier1MSP: false });
      const upgraded: UpgradeResult = await upgradeChaincode({ net: network.config, layout: network.layout, fabric: await network.fabric() }, { label: NEW_LABEL }, testProgress());
      expect(upgraded.to.sequence).to.equal(firstSequence + 1);
      expect(upgraded.to.packageId).to.equal(own.packageId).and.not.equal(firstPackageId);
      expect(upgraded.to.label).to.equal(NEW_LABEL);
      expect(Object.values(upgraded.approvals).every(Boolean), JSON.stringify(upgraded.approvals)).to.equal(true);
      await everyPeerRuns(upgraded.to.packageId);

      // The new version reads what the old one wrote: through each bank's gateway (public status
      // route, which evaluates the chaincode) and straight from the chaincode.
      for (const { subject, id } of before) {
        for (const bank of banks) {
          const res = await fetch(`${bank.url}/v1/public/attestations/${encodeURIComponent(subject)}/status`);
          const body = (await res.json()) as { valid: boolean; attestations: { id?: string; attestationId?: string }[] };
          expect(res.status, JSON.stringify(body)).to.equal(200);
          expect(body.valid, JSON.stringify(body)).to.equal(true);
        }
        const connection = connectAs(network, 'bank2');
        try {
          const stored = JSON.parse(Buffer.from(await connection.contract.evaluateTransaction('attestation:get', id)).toString()) as { id: string; subject: string };
          expect(stored).to.include({ id, subject });
        } finally {
          connection.close();
        }
      }
      const afterUpgrade = load.snapshot().committedWrites;
      await sleep(5000);

      const rolledBack = await cli<UpgradeResult>('chaincode', 'rollback');
      expect(rolledBack).to.deep.include({ action: 'rolled back', to: { sequence: firstSequence + 2, packageId: firstPackageId, label: firstPackageId.split(':')[0] } });
      await everyPeerRuns(firstPackageId);
      await sleep(5000);
      const report = await load.stop();
      process.stdout.write(`      steady load: ${describeLoad(report)}\n`);
      process.stdout.write(`      upgrade ${upgraded.seconds.toFixed(1)} s, rollback ${rolledBack.seconds.toFixed(1)} s\n`);
      expect(report.failures, JSON.stringify(report.failures.slice(0, 5))).to.deep.equal([]);
      expect(report.failedAfterRetries).to.equal(0);
      expect(report.requests.attestation).to.be.greaterThan(0);
      expect(report.requests.verification).to.be.greaterThan(0);
      // The load kept committing after the switch.
      expect(report.committedWrites).to.be.greaterThan(afterUpgrade);

      const status = await cli<ChaincodeStatus>('chaincode', 'status');
      expect(status.committed.sequence).to.equal(firstSequence + 2);
      expect(status.deployed?.packageId).to.equal(firstPackageId);
      expect(status.history.map((h) => [h.sequence, h.action, h.packageId])).to.deep.equal([
        [firstSequence, 'deployed', firstPackageId],
        [firstSequence + 1, 'upgraded', upgraded.to.packageId],
        [firstSequence + 2, 'rolled back', firstPackageId],
      ]);
      for (const org of network.config.orgs) expect(status.packages[org.mspId]).to.equal(firstPackageId);

      // Upgrading to the package already deployed is refused with a code, and changes nothing.
      const refused = await run(process.execPath, [
        path.join(REPO_ROOT, 'network', 'dist', 'cli.js'), '--json', '--name', network.config.name, '--data-dir', network.layout.root, '--port-base', String(portBase),
        'chaincode', 'upgrade',
      ], { cwd: REPO_ROOT }).then(() => undefined, (error: { code?: number; stdout?: string }) => error);
      expect(refused?.code).to.equal(1);
      expect((JSON.parse(refused?.stdout ?? '{}') as { error?: { code?: string } }).error?.code).to.equal('CHAINCODE_UNCHANGED');
      expect((await cli<ChaincodeStatus>('chaincode', 'status')).committed.sequence).to.equal(firstSequence + 2);
    } finally {
      await load.stop();
    }
  });
});
