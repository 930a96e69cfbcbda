import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NetworkError } from '../errors';
import type { ResolvedPrivateChain } from '../networkConfig';
import { waitForPort } from '../portReadiness';
import { assertPortsFree, isAlive, killProcess, readProcessRecord, startProcess, stopProcess } from '../processes';
import { blockHeight, reorg, type ReorgResult } from './chainClient';
import type { GethInstall } from './gethBinary';

/** Where one chain's files live: geth's data dir, the log and the PID record. */
export interface ChainPaths {
  /** The chain's directory (geth runs with this as its working directory). */
  dir: string;
  /** geth's --datadir: chain database and the dev account's keystore; kept across restarts. */
  dataDir: string;
  logFile: string;
  pidFile: string;
}

/** The JSON-RPC namespaces served: eth/net/web3 for clients, debug for reorg drills, txpool for the sync driver. */
export const CHAIN_APIS = 'eth,net,web3,debug,txpool';

/**
 * geth's command line for a dev-mode chain.
 *
 * - `--dev` seals a block every `--dev.period` seconds, also empty ones, so confirmations keep
 *   arriving; it turns p2p off (no listener, no discovery, no dialing) and needs no genesis file:
 *   its dev genesis (chain id 1337) carries the system contracts the enabled forks call into and
 *   prefunds the unlocked dev account.
 * - A SIGKILL must not lose sealed blocks (the sync driver's crash drills kill geth). Three
 *   settings, each found by killing geth 1.17.10 with a datadir: `--state.scheme hash --gcmode
 *   archive` writes every block's state to disk as it is sealed — with the default path scheme
 *   the restarted node finds its head state missing and rewinds to genesis; and `--db.engine
 *   leveldb`, because Pebble (the default) writes without syncing and keeps its write-ahead log
 *   in memory until a 32 KiB block fills, so a killed node lost every block of its last session
 *   (seconds to minutes of them on a quiet chain). LevelDB hands each batch to the OS at once, so
 *   a killed process loses nothing (a power cut still could).
 * - The dev genesis starts at an 11.5 M block gas limit, which holds about 80 registry changes a
 *   block (~115k gas each for a fresh address, and geth admits a transaction only when the sync
 *   driver's gas bound fits): below the 100 changes/s target at one block a second. A new chain
 *   starts at 60 M, geth's own mining target (an existing chain's limit grows toward it by 1/1024
 *   a block).
 * - `--nat none` stops geth probing for UPnP/NAT-PMP gateways; `--ipcdisable` avoids a unix
 *   socket whose path can be too long under a deep data dir.
 */
/** Block gas limit of a new chain and the target geth mines toward (see {@link gethArgs}). */
export const BLOCK_GAS_LIMIT = 60_000_000;

export function gethArgs(chain: ResolvedPrivateChain, paths: Pick<ChainPaths, 'dataDir'>): string[] {
  return [
    '--dev', '--dev.period', String(chain.blockPeriod),
    '--dev.gaslimit', String(BLOCK_GAS_LIMIT), '--miner.gaslimit', String(BLOCK_GAS_LIMIT),
    '--datadir', paths.dataDir,
    '--state.scheme', 'hash', '--gcmode', 'archive', '--db.engine', 'leveldb',
    '--http', '--http.addr', chain.host, '--http.port', String(chain.httpPort), '--http.api', CHAIN_APIS,
    '--ws', '--ws.addr', chain.host, '--ws.port', String(chain.wsPort), '--ws.api', CHAIN_APIS,
    '--ipcdisable', '--nat', 'none', '--cache', '128',
  ];
}

/** One institution chain run as a native geth process, recorded like the Fabric nodes. */
export interface GethChain {
  readonly chain: ResolvedPrivateChain;
  readonly paths: ChainPaths;
  running(): boolean;
  /** Starts geth on its data dir unless it runs, then waits until eth_blockNumber answers. */
  start(options?: { readyTimeoutMs?: number }): Promise<void>;
  /** SIGTERM (geth flushes and exits), SIGKILL after the grace period; the data dir stays. */
  stop(): Promise<'stopped' | 'not-running'>;
  /** SIGKILL, no flush: a crash. */
  kill(): Promise<boolean>;
  /** A crash and a start on the same data dir. */
  restart(options?: { readyTimeoutMs?: number }): Promise<void>;
  /** Head block number; undefined when the node does not answer. */
  height(): Promise<bigint | undefined>;
  /** Rewinds the head by `depth` blocks (debug_setHead): a reorg for tests. */
  reorg(depth: number): Promise<ReorgResult>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class NativeGethChain implements GethChain {
  constructor(readonly chain: ResolvedPrivateChain, readonly paths: ChainPaths, private readonly geth: GethInstall) {}

  running(): boolean {
    return isAlive(readProcessRecord(this.paths.pidFile));
  }

  #ports() {
    return [{ host: this.chain.host, port: this.chain.httpPort, owner: `${this.chain.id} http` }, { host: this.chain.host, port: this.chain.wsPort, owner: `${this.chain.id} ws` }];
  }

  async start(options: { readyTimeoutMs?: number } = {}): Promise<void> {
    if (!this.running()) {
      await assertPortsFree(this.#ports());
      await mkdir(this.paths.dataDir, { recursive: true });
      await startProcess({
        binary: this.geth.binary,
        args: gethArgs(this.chain, this.paths),
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        cwd: this.paths.dir,
        logFile: this.paths.logFile,
        pidFile: this.paths.pidFile,
      });
    }
    await this.#waitReady(options.readyTimeoutMs ?? 60_000);
  }

  /** Ready means the JSON-RPC answers eth_blockNumber (the chain is loaded) and the WebSocket port accepts. */
  async #waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.height()) === undefined) {
      if (!this.running()) throw new NetworkError('NODE_START_FAILED', `${this.chain.id} exited during start-up (see its log: ${this.paths.logFile})`);
      if (Date.now() > deadline) {
        throw new NetworkError('NODE_UNHEALTHY', `${this.chain.id} does not answer eth_blockNumber on ${this.chain.httpUrl} after ${timeoutMs / 1000} s`, { details: { url: this.chain.httpUrl } });
      }
      await sleep(250);
    }
    await waitForPort({ node: this.chain.id, purpose: 'WebSocket', host: this.chain.host, port: this.chain.wsPort }, { timeoutMs: Math.max(1000, deadline - Date.now()), stillRunning: () => this.running() });
  }

  async stop(): Promise<'stopped' | 'not-running'> {
    return existsSync(this.paths.pidFile) ? stopProcess(this.paths.pidFile) : 'not-running';
  }

  async kill(): Promise<boolean> {
    const record = readProcessRecord(this.paths.pidFile);
    const killed = killProcess(this.paths.pidFile);
    // Wait until it is gone and its ports are released (the kernel closes a killed process's
    // connections a moment after it dies), so a start right after finds them free.
    while (killed && isAlive(record)) await sleep(50);
    const deadline = Date.now() + 10_000;
    while (killed && Date.now() < deadline) {
      try {
        await assertPortsFree(this.#ports());
        break;
      } catch {
        await sleep(100);
      }
    }
    return killed;
  }

  async restart(options: { readyTimeoutMs?: number } = {}): Promise<void> {
    await this.kill();
    await this.start(options);
  }

  height(): Promise<bigint | undefined> {
    return blockHeight(this.chain.httpUrl);
  }

  reorg(depth: number): Promise<ReorgResult> {
    return reorg(this.chain.httpUrl, depth);
  }
}

/** Paths of a chain inside a directory of its own (a network keeps it under nodes/<id>/). */
export function chainPaths(dir: string): ChainPaths {
  return { dir, dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'node.log'), pidFile: path.join(dir, 'node.pid') };
}

/** The handle of one chain; nothing starts until `start`. */
export function createGethChain(chain: ResolvedPrivateChain, paths: ChainPaths, geth: GethInstall): GethChain {
  return new NativeGethChain(chain, paths, geth);
}
