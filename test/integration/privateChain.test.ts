import { rmSync } from 'node:fs';
import { expect } from 'chai';
import { parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { chainClient, fundFromDevAccount, type GethChain, type Network } from '@kyc-ledger/network';
import { createTestNetwork, eventually, testProgress } from '../support/testNetwork';

/**
 * The default institution chain (network.yaml's issuer1-evm) as a real geth dev-mode node, without
 * Fabric: blocks advance on their own, the dev account funds, a SIGKILL and restart on the same
 * data dir keeps the chain, and debug_setHead rewinds it (a reorg) after which it grows again.
 */
describe('a private EVM chain (geth --dev on a persistent data dir)', function () {
  // The first build of geth from the module proxy takes minutes; later runs use the cache.
  this.timeout(15 * 60_000);
  let network: Network;
  let chain: GethChain;

  before(async function () {
    network = createTestNetwork('chain');
    chain = await network.privateChain('issuer1-evm', testProgress());
    await chain.start();
  });

  after(async function () {
    await chain?.stop();
    if (network) rmSync(network.layout.root, { recursive: true, force: true });
  });

  const client = () => chainClient(chain.chain.httpUrl);
  /** The head as a number (chai's ordering assertions take numbers, not bigints). */
  const heightOf = async () => {
    const h = await chain.height();
    if (h === undefined) throw new Error('the chain does not answer');
    return Number(h);
  };

  it('seals blocks on its own, with no transactions, on the network\'s ports', async function () {
    expect(chain.chain.httpPort).to.equal(network.config.portBase + 40);
    expect(chain.chain.wsPort).to.equal(network.config.portBase + 41);
    const start = await heightOf();
    await eventually(async () => expect(await heightOf()).to.be.at.least(start + 3), 30_000, 250);
  });

  let funded: `0x${string}`;
  let fundedBlock: { number: bigint; hash: `0x${string}` };

  it('funds an address from the prefunded dev account', async function () {
    funded = privateKeyToAddress(generatePrivateKey());
    expect(await client().getBalance({ address: funded })).to.equal(0n);
    const result = await fundFromDevAccount(chain.chain.httpUrl, funded, '7');
    expect(await client().getBalance({ address: funded })).to.equal(parseEther('7'));
    const block = await client().getBlock({ blockNumber: result.blockNumber });
    fundedBlock = { number: block.number, hash: block.hash };
  });

  it('keeps the chain across a SIGKILL and a start on the same data dir', async function () {
    const before = await heightOf();
    expect(await chain.kill()).to.equal(true);
    expect(chain.running()).to.equal(false);
    expect(await chain.height()).to.equal(undefined);
    await chain.start();
    expect(await heightOf()).to.be.at.least(before);
    const block = await client().getBlock({ blockNumber: fundedBlock.number });
    expect(block.hash).to.equal(fundedBlock.hash);
    expect(await client().getBalance({ address: funded })).to.equal(parseEther('7'));
    // And it goes on sealing after the crash.
    await eventually(async () => expect(await heightOf()).to.be.at.least(before + 2), 30_000, 250);
  });

  it('rewinds 5 blocks with debug_setHead (a reorg) and then grows again on other blocks', async function () {
    await eventually(async () => expect(await heightOf()).to.be.at.least(10), 30_000, 250);
    const head = await heightOf();
    const replaced = await client().getBlock({ blockNumber: BigInt(head - 4) });
    const { from, to } = await chain.reorg(5);
    expect(to).to.equal(from - 5n);
    // geth may seal one block right after the rewind; the head is still well below where it was.
    expect(await heightOf()).to.be.below(Number(from));
    await eventually(async () => expect(await heightOf()).to.be.above(Number(from)), 30_000, 250);
    const again = await client().getBlock({ blockNumber: replaced.number });
    expect(again.hash).to.not.equal(replaced.hash);
  });
});
