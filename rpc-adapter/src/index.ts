/**
 * @packageDocumentation
 * The RPC adapter (issue 10): gRPC service and EVM sync driver.
 */
export type { RegistryChangeSource } from './registryChangeSource';
export type { SyncStatusSource, LinkSyncProgress } from './syncStatusSource';
export { RegistryStore, type AddressState, type AssetState, type ListedAddress } from './store/registryStore';
export { LinkStore, type ChainLinkRecord, type ChainSpec } from './store/linkStore';
export type { CommittedBlock, TxLedgerEvent } from '@kyc-ledger/follower';
export type { LevelBatch, LevelDb } from './store/levelTypes';
export { startAdapterServer, type AdapterServer, type ServerTls } from './grpc/adapterServer';
export type { AdapterServiceDeps } from './grpc/adapterService';
export { OrgResolver, type MemberOrg } from './grpc/orgResolver';
export { TokenCodec } from './grpc/resumeTokens';
export { GRPC_ERROR_TABLE, grpcStatusOf } from './grpc/errorTable';
export { ERROR_CODE_TRAILER, ERROR_DETAILS_TRAILER } from './grpc/serviceError';
export { adapterService, loadAdapterDefinition, ADAPTER_SERVICE_NAME, ADAPTER_PROTO_ROOT, ADAPTER_PROTO_FILE, LOADER_OPTIONS } from './grpc/protoDefinition';
export type * from './grpc/messages';
export { loadRpcAdapterConfig, rpcAdapterConfigSchema, type RpcAdapterConfig } from './rpcAdapterConfig';
export { startRpcAdapter, type RunningRpcAdapter } from './startRpcAdapter';
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
export { runRpcAdapter, ADAPTER_FOLLOWER, type RunningAdapterProcess } from './runRpcAdapter';
export { SyncManager, type SyncManagerOptions } from './sync/syncManager';
export { syncAccountOf } from './sync/syncAccounts';
export { AutoLinker, autoLinkRequestId, type AutoLinkRule } from './sync/autoLinker';
export { linkIdOf } from './store/linkStore';
export { connectLedger, type LedgerConnection } from './ledger/ledgerConnection';
export { createAdapterClient, type AdapterClient, type AdapterClientOptions } from './client/adapterClient';
export { readLinkStatuses, type LinkStatus } from './client/readLinkStatuses';
