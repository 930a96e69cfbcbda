import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { markdownTable, parseCaliperTables } from '../../caliper/caliperResults';
import { caliperRounds, registerRequestsNeeded } from '../../caliper/caliperRounds';
import type { CaliperData, CaliperFabricRequest } from '../../caliper/workloads/caliperWorkload';
import { createWorkloadModule as putModule } from '../../caliper/workloads/putWorkload';
import { createWorkloadModule as registerModule } from '../../caliper/workloads/registerWorkload';
import { createWorkloadModule as statusModule } from '../../caliper/workloads/statusWorkload';
import { createWorkloadModule as transferModule } from '../../caliper/workloads/transferWorkload';
import { scratchDir } from '../../support/scratchDir';

/** Caliper 0.6's summary table as its logger prints it (the `table` package's ramac border). */
const CALIPER_OUTPUT = [
  '2026.11.30-20:01:02.345 \u001b[32minfo \u001b[39m [caliper] [report-builder] \t### All test results ###',
  '2026.11.30-20:01:02.346 \u001b[32minfo \u001b[39m [caliper] [report-builder] ',
  '+-----------------------------+------+------+-----------------+-----------------+-----------------+-----------------+------------------+',
  '| Name                        | Succ | Fail | Send Rate (TPS) | Max Latency (s) | Min Latency (s) | Avg Latency (s) | Throughput (TPS) |',
  '|-----------------------------|------|------|-----------------|-----------------|-----------------|-----------------|------------------|',
  '| probe:put @40tps            | 600  | 0    | 40.1            | 1.20            | 0.31            | 0.62            | 39.8             |',
  '|-----------------------------|------|------|-----------------|-----------------|-----------------|-----------------|------------------|',
  '| attestation:register load 32 | 598  | 2    | 61.5            | 2.95            | 0.40            | 0.51            | 60.7             |',
  '+-----------------------------+------+------+-----------------+-----------------+-----------------+-----------------+------------------+',
].join('\n');

/** A stand-in for Caliper's connector: records each request as the peer-gateway connector would receive it. */
function recordingConnector() {
  const requests: CaliperFabricRequest[] = [];
  return { requests, sendRequests: async (r: CaliperFabricRequest) => { requests.push(r); return { status: 'success' }; } };
}

describe('npm run bench:caliper (its pieces that run without a network)', function () {
  const dir = scratchDir('kyc-caliper-unit-');
  const dataFile = path.join(dir, 'data.json');
  const data: CaliperData = {
    chaincode: 'kyc', runTag: 'r1',
    registerRequests: ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}'],
    attestationIds: ['a0', 'a1'],
    transferChecks: ['{"c":0}'],
  };
  writeFileSync(dataFile, JSON.stringify(data));

  it('reads every round of Caliper\'s printed table (colour codes and borders skipped) and renders it as markdown', function () {
    const rounds = parseCaliperTables(CALIPER_OUTPUT);
    expect(rounds).to.deep.equal([
      { name: 'probe:put @40tps', succ: 600, fail: 0, sendRate: 40.1, maxLatency: 1.2, minLatency: 0.31, avgLatency: 0.62, throughput: 39.8 },
      { name: 'attestation:register load 32', succ: 598, fail: 2, sendRate: 61.5, maxLatency: 2.95, minLatency: 0.4, avgLatency: 0.51, throughput: 60.7 },
    ]);
    const md = markdownTable(rounds).split('\n');
    expect(md).to.have.length(4);
    expect(md[3]).to.equal('| attestation:register load 32 | 598 | 2 | 61.5 | 2.95 | 0.4 | 0.51 | 60.7 |');
    expect(parseCaliperTables('no table here')).to.deep.equal([]);
  });

  it('gives the two register rounds disjoint slices of the signed requests, within what is written', function () {
    const rounds = caliperRounds('/w', dataFile);
    const registers = rounds.filter((r) => r.workload.module === '/w/registerWorkload.js');
    expect(registers).to.have.length(2);
    const [first, second] = registers;
    expect((first?.workload.arguments.offset ?? 0) + (first?.txNumber ?? 0)).to.be.at.most(second?.workload.arguments.offset ?? 0);
    expect((second?.workload.arguments.offset ?? 0) + (second?.txNumber ?? 0)).to.be.at.most(registerRequestsNeeded());
    expect(new Set(rounds.map((r) => r.label)).size).to.equal(rounds.length);
    const rates = rounds.map((r) => r.rateControl.opts.tps);
    expect(rates[2]).to.be.above(rates[0] as number); // the second pair of submit rounds saturates
  });

  it('register workers interleave from the round\'s offset, never share a request, and refuse to run past the last one', async function () {
    const seen: string[] = [];
    for (const worker of [0, 1]) {
      const connector = recordingConnector();
      const module = registerModule();
      await module.initializeWorkloadModule(worker, 2, 1, { dataFile, offset: 2 }, connector);
      await module.submitTransaction();
      await module.submitTransaction();
      expect(connector.requests.every((r) => r.contractFunction === 'attestation:register' && r.invokerMspId === 'Certifier1MSP' && r.invokerIdentity === 'User1' && !r.readOnly)).to.equal(true);
      seen.push(...connector.requests.map((r) => r.contractArguments[0] as string));
      expect(() => module.submitTransaction()).to.throw(/no signed request/);
    }
    expect(seen.sort()).to.deep.equal(['{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
  });

  it('the bare put writes a fresh 600-byte value as the certifier\'s admin; reads are evaluations by the orgs allowed to ask', async function () {
    const put = recordingConnector();
    const putWorkload = putModule();
    await putWorkload.initializeWorkloadModule(0, 1, 3, { dataFile }, put);
    await putWorkload.submitTransaction();
    await putWorkload.submitTransaction();
    const [a, b] = put.requests;
    expect(a).to.include({ contractId: 'kyc', contractFunction: 'probe:put', invokerMspId: 'Certifier1MSP', invokerIdentity: 'Admin', readOnly: false });
    expect(a?.contractArguments[0]).to.match(/^[A-Za-z0-9._-]{1,64}$/).and.not.equal(b?.contractArguments[0]);
    expect(a?.contractArguments[1]).to.have.length(600);

    const status = recordingConnector();
    const statusWorkload = statusModule();
    await statusWorkload.initializeWorkloadModule(0, 1, 4, { dataFile }, status);
    for (let i = 0; i < 3; i++) await statusWorkload.submitTransaction();
    expect(status.requests.map((r) => r.contractArguments[0])).to.deep.equal(['a0', 'a1', 'a0']);
    expect(status.requests[0]).to.include({ contractFunction: 'attestation:status', invokerMspId: 'Bank1MSP', readOnly: true });

    const transfer = recordingConnector();
    const transferWorkload = transferModule();
    await transferWorkload.initializeWorkloadModule(0, 1, 5, { dataFile }, transfer);
    await transferWorkload.submitTransaction();
    expect(transfer.requests[0]).to.deep.include({ contractFunction: 'transfer:detect', contractArguments: ['{"c":0}'], invokerMspId: 'Issuer1MSP', readOnly: true });
  });
});
