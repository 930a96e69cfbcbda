import type { Command } from 'commander';
import { createNetwork } from '../network';
import type { ResolvedNetwork } from '../networkConfig';
import type { Progress } from '../progress';
import { approveChaincode, chaincodeStatus, rollbackChaincode, upgradeChaincode, type ChaincodeStatus, type PackageChoice, type UpgradeResult } from './chaincodeUpgrade';
import type { LifecycleContext } from './lifecycleSteps';

/** What the `chaincode` commands borrow from the main CLI (its global options live there). */
export interface CliHooks {
  /** The network the global options name. */
  load(): ResolvedNetwork;
  /** Progress lines on stderr. */
  progress(): Progress;
  /** Prints `json` with --json, else runs `human`. */
  output(json: unknown, human: () => void): void;
}

async function context(hooks: CliHooks): Promise<LifecycleContext> {
  const network = createNetwork(hooks.load());
  return { net: network.config, layout: network.layout, fabric: await network.fabric() };
}

function choice(opts: { label?: string; path?: string }): PackageChoice {
  return { ...(opts.label !== undefined && { label: opts.label }), ...(opts.path !== undefined && { path: opts.path }) };
}

const yesNo = (approvals: Record<string, boolean>) => Object.entries(approvals).map(([msp, ok]) => `${msp} ${ok ? 'approved' : 'not yet'}`).join(', ');

function printSwitch(result: UpgradeResult): void {
  console.log(`${result.action}: sequence ${result.from.sequence} → ${result.to.sequence}, package ${result.to.packageId} (${result.seconds.toFixed(1)} s)`);
  console.log(`approvals: ${yesNo(result.approvals)}`);
}

function printStatus(status: ChaincodeStatus): void {
  console.log(`chaincode ${status.name} on channel ${status.channel}: committed sequence ${status.committed.sequence}${status.committed.version ? `, version ${status.committed.version}` : ''}`);
  if (status.deployed) console.log(`deployed package ${status.deployed.packageId} (label ${status.deployed.label ?? status.deployed.packageId.split(':')[0]})`);
  console.log(`approvals: ${yesNo(status.committed.approvals)}`);
  for (const [msp, pkg] of Object.entries(status.packages)) console.log(`  ${msp.padEnd(16)} runs ${pkg ?? '(no local package approved)'}`);
  if (status.history.length > 0) {
    console.log('history:');
    for (const h of status.history) console.log(`  sequence ${String(h.sequence).padEnd(4)} ${h.action.padEnd(11)} ${h.packageId}  ${h.committedAt}`);
  }
}

/** Adds `kyc-network chaincode upgrade|rollback|approve|status`. */
export function registerChaincodeCommands(program: Command, hooks: CliHooks): void {
  const chaincode = program.command('chaincode').description('upgrade, roll back, approve and inspect the chaincode definition without stopping the network');

  chaincode.command('upgrade')
    .description('package the chaincode, install it on every member peer, approve it as each member org, check commit readiness, commit sequence+1')
    .option('--label <label>', 'package label (default <name>_<package.json version>); the same source under a new label is a new package')
    .option('--path <dir>', 'chaincode directory to package (default: network.yaml chaincode.path)')
    .action(async (opts: { label?: string; path?: string }) => {
      const result = await upgradeChaincode(await context(hooks), choice(opts), hooks.progress());
      hooks.output(result, () => printSwitch(result));
    });

  chaincode.command('rollback')
    .description('commit the previously deployed package again at sequence+1 (kept in the data directory)')
    .action(async () => {
      const result = await rollbackChaincode(await context(hooks), hooks.progress());
      hooks.output(result, () => printSwitch(result));
    });

  chaincode.command('approve')
    .description('one member\'s part only: install the package on its peers and approve it for its org (its own admin key) at sequence+1')
    .requiredOption('--org <org>', 'the member org to approve as (name or MSP ID)')
    .option('--label <label>', 'package label (must match what the other members approve)')
    .option('--path <dir>', 'chaincode directory to package (default: network.yaml chaincode.path)')
    .action(async (opts: { org: string; label?: string; path?: string }) => {
      const result = await approveChaincode(await context(hooks), opts.org, choice(opts), hooks.progress());
      hooks.output(result, () => {
        console.log(`${result.mspId} ${result.outcome} sequence ${result.sequence}, package ${result.packageId}`);
        console.log(`approvals: ${yesNo(result.approvals)} — ${result.readyToCommit ? 'ready to commit (kyc-network chaincode upgrade)' : 'not yet a majority'}`);
      });
    });

  chaincode.command('status')
    .description('committed sequence, package and label, approvals, and the history of deployed packages')
    .action(async () => {
      const status = await chaincodeStatus(await context(hooks));
      hooks.output(status, () => printStatus(status));
    });
}
