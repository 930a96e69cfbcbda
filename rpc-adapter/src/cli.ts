#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isKycError } from '@kyc-ledger/api';
import { loadRpcAdapterConfig } from './rpcAdapterConfig';
import { runRpcAdapter } from './runRpcAdapter';

/** Exit codes: 2 for a configuration the adapter refuses, 1 for anything else. */
const EXIT_CONFIG = 2;

async function start(options: { config: string }): Promise<void> {
  const config = loadRpcAdapterConfig(options.config);
  const adapter = await runRpcAdapter(config);
  process.stderr.write(`kyc-rpc-adapter: listening on ${config.listen.host}:${adapter.server.port}\n`);
  const stop = (signal: string) => {
    adapter.logger.info({ signal }, 'stopping');
    void adapter.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function program(): Command {
  const cli = new Command('kyc-rpc-adapter')
    .description('kyc-ledger RPC adapter: the gRPC service institutions use to read, stream and link their assets\' registries')
    .showHelpAfterError()
    .exitOverride();
  cli
    .command('start')
    .description('serve the gRPC API (mTLS) from the configuration')
    .requiredOption('-c, --config <file>', 'YAML or JSON configuration (see docs/rpc-adapter.md)')
    .action(start);
  return cli;
}

program()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`kyc-rpc-adapter: ${isKycError(error) ? error.message : String(error)}\n`);
    process.exit(isKycError(error, 'INVALID_CONFIG') ? EXIT_CONFIG : 1);
  });
