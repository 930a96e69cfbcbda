import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ConfigError, gethArgs, loadNetwork, resolveNetwork } from '@kyc-ledger/network';
import { REPO_ROOT } from '../../support/testNetwork';

const defaultFile = path.join(REPO_ROOT, 'network.yaml');
const defaultDoc = () => parse(readFileSync(defaultFile, 'utf8')) as Record<string, unknown>;

function problemsOf(document: unknown): string[] {
  try {
    resolveNetwork(document, defaultFile);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

const withChains = (privateChains: unknown) => ({ ...defaultDoc(), privateChains });

describe('network.yaml privateChains', function () {
  it('has the default institution chain issuer1-evm for issuer1, on base+40 (HTTP) and base+41 (WebSocket)', function () {
    const net = loadNetwork(defaultFile);
    expect(net.privateChains).to.deep.equal([{
      id: 'issuer1-evm', name: 'issuer1-evm', org: 'issuer1', kind: 'geth-dev', blockPeriod: 1,
      host: '127.0.0.1', httpPort: 7040, wsPort: 7041, httpUrl: 'http://127.0.0.1:7040', wsUrl: 'ws://127.0.0.1:7041',
    }]);
    const moved = loadNetwork(defaultFile, { portBase: 42000 });
    expect(moved.privateChains[0]).to.include({ httpPort: 42040, wsPort: 42041 });
  });

  it('is optional (no chains) and gives the i-th chain the next two ports', function () {
    const doc = defaultDoc();
    delete doc.privateChains;
    expect(resolveNetwork(doc, defaultFile).privateChains).to.deep.equal([]);
    const two = resolveNetwork(withChains([{ name: 'a', org: 'issuer1' }, { name: 'b', org: 'issuer1', blockPeriod: 5 }]), defaultFile);
    expect(two.privateChains.map((c) => [c.name, c.httpPort, c.wsPort, c.blockPeriod])).to.deep.equal([['a', 7040, 7041, 1], ['b', 7042, 7043, 5]]);
  });

  it('links a chain only to an existing issuer org', function () {
    expect(problemsOf(withChains([{ name: 'x', org: 'issuer9' }]))).to.deep.equal([
      'privateChains[0].org: unknown org "issuer9" (orgs are: certifier1, bank1, bank2, issuer1)',
    ]);
    expect(problemsOf(withChains([{ name: 'x', org: 'bank1' }]))).to.deep.equal([
      'privateChains[0].org: bank1 is a bank; an institution chain belongs to an issuer org',
    ]);
  });

  it('refuses duplicate chain names, a name an orderer has, and ports another node uses', function () {
    expect(problemsOf(withChains([{ name: 'x', org: 'issuer1' }, { name: 'x', org: 'issuer1' }]))).to.include(
      'privateChains: chain name "x" is used more than once',
    );
    expect(problemsOf(withChains([{ name: 'orderer0', org: 'issuer1' }]))).to.deep.equal([
      'privateChains[0].name: "orderer0" is also an orderer node\'s name',
    ]);
    expect(problemsOf(withChains([{ name: 'x', org: 'issuer1', httpPort: 7050 }]))).to.deep.equal([
      'port 7050 on 127.0.0.1 is used more than once: orderer0.port, x.httpPort',
    ]);
  });

  it('refuses a block period of 0 (geth would seal only on transactions: confirmations would stall) and unknown keys', function () {
    const problems = problemsOf(withChains([{ name: 'x', org: 'issuer1', blockPeriod: 0, chainId: 5 }]));
    expect(problems).to.have.length(2);
    expect(problems.some((p) => p.startsWith('privateChains[0].blockPeriod:'))).to.equal(true);
    expect(problems.some((p) => p.includes('chainId'))).to.equal(true);
  });
});

describe('geth command line of a private chain', function () {
  const chain = loadNetwork(defaultFile, { portBase: 42000 }).privateChains[0];
  if (!chain) throw new Error('network.yaml has no private chain');
  const args = gethArgs({ ...chain, blockPeriod: 2 }, { dataDir: '/data/chain' });
  const value = (flag: string) => args[args.indexOf(flag) + 1];

  it('runs dev mode on the given data dir with the configured block period', function () {
    expect(args).to.include('--dev');
    expect(value('--dev.period')).to.equal('2');
    expect(value('--datadir')).to.equal('/data/chain');
  });

  it('starts a new chain at a 60 M block gas limit and mines toward it (the dev default 11.5 M holds ~80 registry changes a block)', function () {
    expect(value('--dev.gaslimit')).to.equal('60000000');
    expect(value('--miner.gaslimit')).to.equal('60000000');
  });

  it('keeps every sealed block through a SIGKILL: hash scheme, archive, LevelDB', function () {
    expect(value('--state.scheme')).to.equal('hash');
    expect(value('--gcmode')).to.equal('archive');
    expect(value('--db.engine')).to.equal('leveldb');
  });

  it('serves JSON-RPC over HTTP and WebSocket on the chain\'s ports only, with debug for reorg drills', function () {
    expect([value('--http.addr'), value('--http.port')]).to.deep.equal(['127.0.0.1', '42040']);
    expect([value('--ws.addr'), value('--ws.port')]).to.deep.equal(['127.0.0.1', '42041']);
    expect(value('--http.api')?.split(',')).to.include.members(['eth', 'net', 'web3', 'debug', 'txpool']);
    expect(args).to.include.members(['--ipcdisable', '--nat']);
  });
});
