/**
 * @packageDocumentation
 * The RPC adapter (issue 10): gRPC service and EVM sync driver.
 */
export type { RegistryChangeSource } from './registryChangeSource';
export { assetKey } from './evm/assetKey';
export { EvmOps, evmAccountOf, evmChangeOf, type EvmChange } from './evm/evmChangeOf';
export {
  deployRegistryToken,
  registryTokenReader,
  kycRegistryTokenAbi,
  type RegistryTokenDeployment,
  type RegistryTokenReader,
} from './evm/registryToken';
export { EvmSyncDriver, type EvmSyncOptions, type SyncStatus } from './sync/evmSyncDriver';
export { SyncOutbox, type OutboxEntry, type SyncDb } from './sync/syncOutbox';
export { SyncSteps, crashPointFromEnv, type SyncStep, type SyncStepHook } from './sync/syncSteps';
export { solcVersion, evmVersion } from './generated/contracts';
