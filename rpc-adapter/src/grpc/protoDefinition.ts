import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { fixMapEntryNames } from './mapEntryNames';

/** The adapter's .proto, shipped in the package (rpc-adapter/proto). */
export const ADAPTER_PROTO_ROOT = path.join(__dirname, '..', '..', 'proto');
export const ADAPTER_PROTO_FILE = 'kycledger/adapter/v1/adapter.proto';
/** The service's full name, as reflection, health and grpcurl know it. */
export const ADAPTER_SERVICE_NAME = 'kycledger.adapter.v1.RegistryAdapter';

/**
 * How messages look in JavaScript (see messages.ts): lowerCamelCase fields, uint64 as number
 * (sequence numbers stay far below 2^53), enums by name, every field present, and `event` naming
 * the set member of a oneof.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [ADAPTER_PROTO_ROOT],
};

/** The adapter's and the health service's definitions, loaded once (reflection lists both). */
export function loadAdapterDefinition(): protoLoader.PackageDefinition {
  return protoLoader.loadSync([ADAPTER_PROTO_FILE, healthProtoPath], LOADER_OPTIONS);
}

/**
 * The same files for server reflection, with the .proto's own field names: reflection serves
 * descriptors built from the loaded definition, and camelCased names there would make tools such
 * as grpcurl reject `page_size` (and break map entries such as the health service's).
 */
export function loadReflectionDefinition(): protoLoader.PackageDefinition {
  return fixMapEntryNames(protoLoader.loadSync([ADAPTER_PROTO_FILE, healthProtoPath], { ...LOADER_OPTIONS, keepCase: true }));
}

/** The RegistryAdapter service definition and a client constructor for it (tests and tools). */
export function adapterService(definition = loadAdapterDefinition()): grpc.ServiceClientConstructor {
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    kycledger: { adapter: { v1: { RegistryAdapter: grpc.ServiceClientConstructor } } };
  };
  return loaded.kycledger.adapter.v1.RegistryAdapter;
}
