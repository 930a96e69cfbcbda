import { expect } from 'chai';
import type { Network } from '@kyc-ledger/network';
import { connectAs } from '../support/gatewayClient';
import { createTestNetwork, eventually, testProgress } from '../support/testNetwork';

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('the 4-node BFT ordering option (end-to-end)', function () {
  this.timeout(30 * 60_000);
  let network: Network;

  before(async function () {
    // Its own port range, so it never meets the Raft test network.
    network = createTestNetwork('bft', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 1000, 'bft');
    await network.up(testProgress());
  });

  after(async function () {
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  it('orders transactions with 4 SmartBFT orderers, and still with one of them SIGKILLed (f = 1)', async function () {
    const status = await network.status();
    expect(status.nodes.filter((n) => n.kind === 'orderer' && n.healthy)).to.have.length(4);
    const issuer = connectAs(network, 'issuer1', 'admin');
    const bank1 = connectAs(network, 'bank1');
    try {
      await issuer.contract.submitTransaction('probe:put', 'bft-1', 'one');
      expect(await network.killNode('orderer3')).to.equal(true);
      await eventually(() => issuer.contract.submitTransaction('probe:put', 'bft-2', 'two'), 90_000, 1000);
      // The submit waited for the issuer's peer to commit; bank1's peer gets the block a moment later.
      const record = await eventually(async () => JSON.parse(utf8(await bank1.contract.evaluateTransaction('probe:get', 'Issuer1MSP', 'bft-2'))) as { value: string }, 30_000, 250);
      expect(record.value).to.equal('two');
    } finally {
      issuer.close();
      bank1.close();
    }
  });
});
