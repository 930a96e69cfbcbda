/**
 * @packageDocumentation
 * The RPC adapter (issue 10): gRPC service and EVM sync driver.
 */
export type { RegistryChangeSource } from './registryChangeSource';
