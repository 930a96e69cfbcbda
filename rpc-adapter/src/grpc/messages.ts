/*
 * TypeScript shapes of the adapter's messages as @grpc/proto-loader hands them over with
 * LOADER_OPTIONS (protoDefinition.ts). Keep in step with proto/kycledger/adapter/v1/adapter.proto.
 * Requests are what a client may send (anything may be missing); answers are complete.
 */

export type RegistryOpName =
  | 'REGISTRY_OP_UNSPECIFIED'
  | 'REGISTRY_OP_AUTHENTICATE'
  | 'REGISTRY_OP_REVOKE'
  | 'REGISTRY_OP_FREEZE'
  | 'REGISTRY_OP_UNFREEZE'
  | 'REGISTRY_OP_FREEZE_ASSET'
  | 'REGISTRY_OP_UNFREEZE_ASSET';

export interface GetAddressRequest {
  asset?: string;
  address?: string;
}

export interface AddressStatus {
  asset: string;
  address: string;
  authenticated: boolean;
  frozen: boolean;
  seq: number;
  assetFrozen: boolean;
}

export interface ListAddressesRequest {
  asset?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface ListAddressesResponse {
  addresses: AddressStatus[];
  nextPageToken: string;
  head: number;
  resumeToken: string;
}

export interface WatchChangesRequest {
  asset?: string;
  resumeToken?: string;
}

export interface RegistryChangeMessage {
  seq: number;
  op: RegistryOpName;
  address: string;
  txId: string;
  at: string;
}

export type WatchChangesResponse =
  | { event: 'change'; change: RegistryChangeMessage; resumeToken: string }
  | { event: 'heartbeat'; heartbeat: { head: number }; resumeToken: string };

export interface ChainSpecMessage {
  chainId: number;
  rpcUrl: string;
  contractAddress: string;
  confirmations: number;
}

export interface LinkChainRequest {
  requestId?: string;
  asset?: string;
  chain?: Partial<ChainSpecMessage> | null;
}

export interface ChainLinkMessage {
  linkId: string;
  asset: string;
  chain: ChainSpecMessage;
  org: string;
  createdAt: string;
  syncAccount: string;
}

export interface UnlinkChainRequest {
  requestId?: string;
  linkId?: string;
}

export interface UnlinkChainResponse {
  linkId: string;
}

export interface GetSyncStatusRequest {
  linkId?: string;
}

export interface SyncStatusMessage {
  linkId: string;
  appliedSeq: number;
  ledgerHead: number;
  lag: number;
  lastError: string;
  updatedAt: string;
  syncAccount: string;
}

export interface ListLinksRequest {
  asset?: string;
}

export interface ListLinksResponse {
  links: ChainLinkMessage[];
}
