import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gethCacheDir } from '@kyc-ledger/network';
import path from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther, type Address, type PublicClient } from 'viem';

/**
 * A throw-away geth in dev mode for tests: its own temp data dir and ports, one block a second
 * (the network's private chains run the same binary through network/src/geth).
 */
export interface DevGeth {
  url: string;
  dataDir: string;
  client: PublicClient;
  /** Sends `ether` from the dev account (prefunded, unlocked) to `to` and waits for it. */
  fund(to: Address, ether?: string): Promise<void>;
  /** Rewinds the chain to `blocks` before the head (a reorg on one node). */
  rewind(blocks: number): Promise<void>;
  /** Waits until `blocks` more blocks are mined (so a later rewind cannot drop a test's setup). */
  waitBlocks(blocks: number): Promise<void>;
  /** SIGKILLs geth (its data dir stays). */
  kill(): Promise<void>;
  /** Starts geth again on the same data dir and ports. */
  restart(): Promise<void>;
  /** Stops geth and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * The geth binary for tests: KYC_GETH_BIN, or the network's version-keyed build cache, which
 * `npm test`'s bootstrap fills (it builds geth when missing). A missing binary fails the test
 * rather than skipping it.
 */
export function devGethBinary(): string {
  const binary = process.env.KYC_GETH_BIN || path.join(gethCacheDir(), 'bin', 'geth');
  if (!existsSync(binary)) throw new Error(`no geth binary at ${binary}: run node scripts/bootstrap.mjs (it builds geth) or set KYC_GETH_BIN`);
  return binary;
}

/** Starts geth --dev with HTTP JSON-RPC on `portBase`, p2p on portBase+1, auth RPC on portBase+2. */
export async function startDevGeth(portBase: number): Promise<DevGeth> {
  const binary = devGethBinary();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-devgeth-'));
  const url = `http://127.0.0.1:${portBase}`;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const log = openSync(path.join(dataDir, 'geth.log'), 'a');
    child = spawn(
      binary,
      [
        '--dev', '--dev.period', '1', '--datadir', path.join(dataDir, 'chain'),
        '--http', '--http.addr', '127.0.0.1', '--http.port', String(portBase), '--http.api', 'eth,net,web3,debug,txpool',
        '--port', String(portBase + 1), '--authrpc.port', String(portBase + 2), '--nodiscover', '--maxpeers', '0',
        '--ipcdisable', '--verbosity', '2',
      ],
      { stdio: ['ignore', log, log] },
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await client.getBlockNumber({ cacheTime: 0 });
        return;
      } catch (error) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`geth did not start (see ${dataDir}/geth.log)`, { cause: error });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }), pollingInterval: 200 });
  const kill = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await launch();
  const [devAccount] = await createWalletClient({ transport: http(url) }).getAddresses();
  if (devAccount === undefined) throw new Error('geth --dev has no dev account');
  const wallet = createWalletClient({ transport: http(url), account: devAccount });
  return {
    url,
    dataDir,
    client,
    async fund(to, ether = '100') {
      const hash = await wallet.sendTransaction({ to, value: parseEther(ether), chain: null });
      await client.waitForTransactionReceipt({ hash, pollingInterval: 200 });
    },
    async rewind(blocks) {
      const head = await client.getBlockNumber({ cacheTime: 0 });
      const target = head - BigInt(blocks);
      // debug_ is outside viem's typed method list; a plain JSON-RPC call.
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'debug_setHead', params: [`0x${target.toString(16)}`] }),
      });
      const body = (await response.json()) as { error?: { message: string } };
      if (body.error) throw new Error(`debug_setHead: ${body.error.message}`);
    },
    async waitBlocks(blocks) {
      const target = (await client.getBlockNumber({ cacheTime: 0 })) + BigInt(blocks);
      while ((await client.getBlockNumber({ cacheTime: 0 })) < target) await new Promise((r) => setTimeout(r, 250));
    },
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
