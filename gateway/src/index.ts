export { createApp, API_VERSION, type AppConfig, type AppDependencies } from './createApp';
export { startGateway, type RunningGateway, type StartGatewayOptions } from './startGateway';
export { APP_CLOSING_EVENT } from './eventStream';
export {
  GatewayConfigSchema,
  ApiKeyConfigSchema,
  MemberRoles,
  ApiKeyRoles,
  parseGatewayConfig,
  RateLimitConfigSchema,
  NetworkNodeConfigSchema,
  DEFAULT_RATE_LIMIT,
  type ApiKeyConfig,
  type GatewayConfig,
  type MemberRole,
  type ApiKeyRole,
  type RateLimitConfig,
  type NetworkNodeConfig,
} from './gatewayConfig';
export { BoundedRateLimitStore } from './boundedRateLimitStore';
export { loadGatewayConfig, GATEWAY_ENV, type LoadGatewayConfigOptions } from './loadGatewayConfig';
export {
  GatewayError,
  GatewayErrorCodes,
  ValidationError,
  GatewayConfigError,
  isGatewayError,
  type GatewayErrorCode,
  type GatewayErrorOptions,
  type IssueLocation,
  type ValidationIssue,
} from './gatewayError';
export { ERROR_TABLE, errorClassOf, httpStatusOf, type ErrorClass, type KnownErrorCode } from './errorTable';
export { PROBLEM_CONTENT_TYPE, MAX_LISTED_ISSUES, problemType, toProblemDetails, type ProblemDetails } from './problemDetails';
export { parseChaincodeErrorBody, type ChaincodeErrorBody } from './chaincodeErrorBody';
export {
  newFabricLedgerClient,
  ledgerErrorFrom,
  type ChaincodeDefinition,
  type FabricConnectionConfig,
  type FabricLedgerClient,
  type LedgerClient,
  type SubmitOptions,
  type SubmitResult,
} from './fabricClient';
export { LedgerFunctions } from './ledgerFunctions';
export { generateApiKey, hashApiKey, newApiKeyAuthenticator, type ApiKeyAuthenticator, type ApiKeyIdentity } from './apiKeys';
export { API_KEY_HEADER, TRANSACTION_ID_HEADER } from './registerRoutes';
export { REQUEST_ID_HEADER, type RequestContext } from './requestContext';
export { createGatewayLogger, REDACTED_HEADERS, type GatewayLoggerOptions } from './httpLogger';
export { newGatewayMetrics, UNMATCHED_ROUTE, type GatewayMetrics, type GatewayMetricsOptions } from './httpMetrics';
export { buildOpenApiDocument, openApiPath, type OpenApiInfo } from './openApiDocument';
export { namedSchema } from './schemaRegistry';
export { MAX_BULK_ITEMS, AssuranceLevels, RevocationReasons } from './attestationSchemas';
export { MAX_STATUS_PAGE_SIZE, DEFAULT_STATUS_PAGE_SIZE } from './statusPage';
export { BULK_BODY_LIMIT } from './attestationRoutes';
export { DEFAULT_BODY_LIMIT, type RouteAccess } from './routeDefinition';
export { createRegistryBatcher, type RegistryBatcher, type RegistryBatcherOptions, type RegistryWrite } from './registryBatcher';
export { createReceiptBatcher, type ReceiptBatcher, type ReceiptBatcherOptions, type ReceiptInput } from './receiptBatcher';
export { assess, preflight, type Assessment } from './verifySubmission';
export { SessionStore, type SessionEntry, type Verdict } from './sessionStore';
export { relaySiblingVerdicts, siblingVerdicts, type SiblingVerdicts } from './siblingVerdicts';
export { createAttestationView, type AttestationView, type AttestationViewOptions } from './attestationView';
export { committedWrites, committedWritesWithPrivateData, type CommittedBlock, type KeyWrite, type PrivateDataMap, type PrivateWrite, type TxLedgerEvent } from '@kyc-ledger/follower';
export { LedgerReplica } from './ledgerReplica';
export { followBlocks, type BlockFeed, type BlockFeedOptions, type BlockSink, type BlockSource } from '@kyc-ledger/follower';
export { KeyValueReplica, ReplicaGapError, type KeyValueCounts, type KeyValueReplicaOptions } from './keyValueReplica';
export { replicaContext, type ReplicaContextOptions, type ReplicaReads } from './replicaContext';
export {
  createTransferCheckView, TRANSFER_CHECK_PRIVATE_TYPES, TRANSFER_CHECK_PUBLIC_TYPES, TRANSFER_CHECK_REPLICA,
  type TransferCheck, type TransferCheckView, type TransferCheckViewOptions,
} from './transferCheckView';
export { instanceConfig, instanceIndex, INSTANCE_ENV } from './runInstances';
