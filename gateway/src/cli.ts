#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { generateApiKey, hashApiKey } from './apiKeys';
import { newFabricLedgerClient } from './fabricClient';
import { isGatewayError, GatewayConfigError } from './gatewayError';
import { loadGatewayConfig } from './loadGatewayConfig';
import { replayDecision, type ReplayResult } from './replayDecision';
import cluster from 'node:cluster';
import { createGatewayLogger } from './httpLogger';
import { instanceConfig, instanceIndex, runInstances } from './runInstances';
import { startGateway } from './startGateway';

/** Exit codes: 2 for a configuration the gateway refuses, 1 for anything else. */
const EXIT_CONFIG = 2;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function start(options: { config?: string; instances?: string }): Promise<void> {
  const loaded = loadGatewayConfig(options.config === undefined ? {} : { file: options.config });
  const instances = options.instances === undefined ? loaded.instances : Number(options.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw new GatewayConfigError([`--instances must be an integer from 1 to 64, not ${options.instances}`]);
  if (instances > 1 && cluster.isPrimary) {
    process.stderr.write(`kyc-gateway: ${loaded.org.name} (${loaded.org.role}) starting ${instances} instances on ${loaded.listen.host}:${loaded.listen.port}\n`);
    runInstances(instances, (line) => process.stderr.write(`kyc-gateway: ${line}\n`));
    return;
  }
  const index = instanceIndex();
  const config = instanceConfig(loaded, index);
  const logger = createGatewayLogger({ level: config.logLevel, base: { org: config.org.name, ...(index !== undefined && { instance: index }) } });
  const gateway = await startGateway(config, { logger });
  const who = index === undefined ? '' : ` instance ${index}`;
  process.stderr.write(`kyc-gateway: ${config.org.name} (${config.org.role})${who} listening on ${gateway.url}\n`);
  const stop = (signal: string) => {
    process.stderr.write(`kyc-gateway: ${signal}, stopping\n`);
    void gateway.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Replays recorded transfer decisions with the issuer's identity: the recorded inputs and the
 * rule-set versions they name, re-run through the engine here. Exit code 1 when any differs; a
 * decision whose inputs were erased is reported as erased, not as a difference.
 */
async function replay(ids: string[], options: { config?: string; asset: string; json?: boolean }): Promise<void> {
  const config = loadGatewayConfig(options.config === undefined ? {} : { file: options.config });
  const ledger = newFabricLedgerClient(config);
  const results: ReplayResult[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      const result = await replayDecision(ledger, options.asset, id);
      results.push(result);
      const outcome = result.outcome === 'INPUTS_ERASED'
        ? `inputs erased (${result.erased.join(', ')}), not replayed`
        : `replayed ${result.replayed.code} ${result.replayed.name} — ${result.same ? 'same' : 'DIFFERENT'}`;
      if (!options.json) process.stderr.write(`[${i + 1}/${ids.length}] ${id}: recorded ${result.recorded.code} ${result.recorded.name}, ${outcome}\n`);
    }
  } finally {
    ledger.close();
  }
  const different = results.filter((r) => r.outcome === 'REPLAYED' && !r.same).length;
  const erased = results.filter((r) => r.outcome === 'INPUTS_ERASED').length;
  const replayed = results.length - erased;
  if (options.json) process.stdout.write(`${JSON.stringify({ replayed, different, erased, results })}\n`);
  else process.stdout.write(`${replayed} replayed, ${different} different, ${erased} with inputs erased\n`);
  if (different > 0) process.exitCode = 1;
}

function program(): Command {
  const cli = new Command('kyc-gateway')
    .description('kyc-ledger REST gateway for one member org')
    .showHelpAfterError()
    .exitOverride();
  cli
    .command('start')
    .description('serve the API with the org identity from the configuration')
    .option('-c, --config <file>', 'YAML or JSON configuration (default: $KYC_GATEWAY_CONFIG); KYC_GATEWAY_* variables override it')
    .option('--instances <n>', 'processes serving the one port (node:cluster), each with its own store under dataDir (default: the configuration\'s instances, 1)')
    .action(start);
  cli
    .command('replay')
    .description('replay recorded transfer decisions (issuer): same verdict from the recorded inputs and rule-set versions?')
    .argument('<decisionId...>', 'decision ids (transaction ids of transfer:record)')
    .requiredOption('--asset <id>', 'the asset the decisions belong to')
    .option('-c, --config <file>', 'the issuer gateway\'s configuration (default: $KYC_GATEWAY_CONFIG)')
    .option('--json', 'print one JSON object instead of progress lines')
    .action(replay);
  cli
    .command('new-key')
    .description('print a fresh API key and the keyHash to configure for it (JSON)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(generateApiKey())}\n`);
    });
  cli
    .command('hash-key')
    .description('read an API key on stdin and print the keyHash to configure for it')
    .action(async () => {
      const key = await readStdin();
      if (!key) throw new Error('no key on stdin');
      process.stdout.write(`${hashApiKey(key)}\n`);
    });
  return cli;
}

program()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof GatewayConfigError) {
      process.stderr.write(`kyc-gateway: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    const message = isGatewayError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`kyc-gateway: ${message}\n`);
    process.exit(1);
  });
