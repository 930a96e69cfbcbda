import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {
  CommitError,
  GatewayError as FabricGatewayError,
  StatusCode,
  connect,
  hash,
  signers,
  type Contract,
  type Gateway,
  type Network,
} from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { isErrorCode, parseChaincodeErrorBody } from '@kyc-ledger/api';
import { fabricBlockSource, type CommittedBlock } from '@kyc-ledger/follower';
import type { GatewayConfig } from './gatewayConfig';
import { GatewayError, GatewayErrorCodes } from './gatewayError';

/** Options of one submitted transaction. */
export interface SubmitOptions {
  /** Orgs whose peers must endorse; default: the gateway peer chooses from the endorsement policy. */
  endorsingOrganizations?: readonly string[];
  /** Private inputs that must not be written to the transaction (private data collections). */
  transientData?: Readonly<Record<string, Uint8Array>>;
}

/** What a committed transaction returned. */
export interface SubmitResult<T> {
  result: T;
  transactionId: string;
  /** The block the transaction was committed in, when the ledger reports it. */
  blockNumber?: bigint;
}

/**
 * The gateway's only way to the ledger. Functions are chaincode names such as
 * `attestation:register`; arguments are strings (structured ones canonical JSON). Results are
 * decoded from JSON. Failures are {@link GatewayError}s carrying the chaincode's code.
 */
export interface LedgerClient {
  /** Endorses, orders and waits for the commit of a transaction. */
  submit<T>(fn: string, args: readonly string[], options?: SubmitOptions): Promise<SubmitResult<T>>;
  /** Runs a read-only transaction on the org's peer; nothing is ordered. */
  evaluate<T>(fn: string, args: readonly string[]): Promise<T>;
  /** Resolves when the peer and the chaincode answer (`probe:ping`). */
  ping(): Promise<void>;
  /**
   * Streams the channel's committed blocks from `startBlock` on, each reduced to the chaincode's
   * public writes by its valid transactions, until `signal` aborts; rejects when the stream breaks.
   * `onBlock` runs (a promise it returns is awaited) before the next block is read. Optional: a ledger without it has no replica.
   */
  watchBlocks?(startBlock: bigint, onBlock: (block: CommittedBlock) => unknown, signal: AbortSignal, onOpen?: () => void): Promise<void>;
  /**
   * {@link watchBlocks} with the private data the peer holds for its org's collections: each block
   * also carries the private writes of valid transactions to the collections `collections` selects.
   */
  watchBlocksWithPrivateData?(startBlock: bigint, collections: (name: string) => boolean, onBlock: (block: CommittedBlock) => unknown, signal: AbortSignal, onOpen?: () => void): Promise<void>;
  /** The peer's ledger height (blocks committed), from qscc GetChainInfo. */
  chainHeight?(): Promise<bigint>;
  /** The chaincode's definition committed on the channel, as the org's peer has it (`_lifecycle` QueryChaincodeDefinition). */
  chaincodeDefinition?(): Promise<ChaincodeDefinition>;
}

/** A committed chaincode definition: what the orgs approved, not which package a peer runs. */
export interface ChaincodeDefinition {
  name: string;
  version: string;
  sequence: number;
}

/** A {@link LedgerClient} holding a gRPC connection. */
export interface FabricLedgerClient extends LedgerClient {
  /** Closes the Fabric Gateway and its gRPC connection. */
  close(): void;
}

/** The parts of the configuration that the Fabric connection needs. */
export type FabricConnectionConfig = Pick<GatewayConfig, 'org' | 'peer' | 'identity' | 'channel' | 'chaincode' | 'timeouts'>;

const PING = 'probe:ping';
const LIFECYCLE = '_lifecycle';
const QUERY_DEFINITION = 'QueryChaincodeDefinition';
const decoder = new TextDecoder();

/** Chaincode results are JSON text; an empty result is undefined and non-JSON text stays text. */
function decodeResult<T>(bytes: Uint8Array): T {
  if (bytes.length === 0) return undefined as T;
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text) as T;
  } catch {
    return text as T;
  }
}

const UNAVAILABLE_GRPC = new Set<number>([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED, grpc.status.CANCELLED]);
const RETRYABLE_COMMIT = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);

/**
 * A chaincode or peer failure without a code this gateway knows: one stable code, and only the
 * function name as details, so no raw peer or chaincode text reaches a client (the cause, logged,
 * keeps it).
 */
function chaincodeFailed(fn: string, cause: unknown, transactionId: string | undefined): GatewayError {
  return new GatewayError(GatewayErrorCodes.CHAINCODE_FAILED, `ledger call ${fn} failed in the chaincode`, { details: { fn }, cause, transactionId });
}

/**
 * Turns whatever fabric-gateway threw into a {@link GatewayError}. A chaincode error keeps its
 * code (found in the peers' error details or the message); transport failures are
 * UPSTREAM_UNAVAILABLE; any other chaincode or peer failure (an uncoded error, or a code not in
 * the shared list) is CHAINCODE_FAILED; anything else is INTERNAL. Exported for tests; callers of
 * {@link LedgerClient} already receive translated errors.
 */
export function ledgerErrorFrom(error: unknown, fn: string): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof CommitError) {
    const details = { fn, validationCode: error.code };
    if (RETRYABLE_COMMIT.has(error.code)) {
      return new GatewayError(GatewayErrorCodes.CONFLICT, 'the transaction conflicted with a concurrent one; retry it', {
        details,
        cause: error,
        transactionId: error.transactionId,
      });
    }
    return new GatewayError(GatewayErrorCodes.COMMIT_FAILED, `transaction ${error.transactionId} was not committed (validation code ${error.code})`, {
      details,
      cause: error,
      transactionId: error.transactionId,
    });
  }
  if (error instanceof FabricGatewayError) {
    const transactionId = 'transactionId' in error && typeof error.transactionId === 'string' ? error.transactionId : undefined;
    const texts = [...error.details.map((d) => d.message), error.message, error.cause?.details ?? ''];
    for (const text of texts) {
      const body = parseChaincodeErrorBody(text);
      if (body && isErrorCode(body.code)) return new GatewayError(body.code, body.message, { details: body.details, cause: error, transactionId });
      if (body) return chaincodeFailed(fn, error, transactionId);
    }
    const details = { fn, grpcCode: error.code, messages: texts.filter((t) => t.length > 0) };
    if (UNAVAILABLE_GRPC.has(error.code)) {
      return new GatewayError(GatewayErrorCodes.UPSTREAM_UNAVAILABLE, 'the ledger did not answer', { details, cause: error, transactionId });
    }
    return chaincodeFailed(fn, error, transactionId);
  }
  return new GatewayError(GatewayErrorCodes.INTERNAL, `ledger call ${fn} failed`, { details: { fn }, cause: error });
}

class FabricLedgerClientImpl implements FabricLedgerClient {
  readonly #client: grpc.Client;
  readonly #gateway: Gateway;
  readonly #contract: Contract;
  readonly #network: Network;
  readonly #chaincode: string;

  constructor(config: FabricConnectionConfig) {
    const options: grpc.ChannelOptions = config.peer.hostNameOverride ? { 'grpc.ssl_target_name_override': config.peer.hostNameOverride } : {};
    this.#client = new grpc.Client(config.peer.endpoint, grpc.credentials.createSsl(readFileSync(config.peer.tlsCaPath)), options);
    const t = config.timeouts;
    this.#gateway = connect({
      client: this.#client,
      identity: { mspId: config.org.mspId, credentials: readFileSync(config.identity.certPath) },
      signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(config.identity.keyPath))),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + t.evaluateMs }),
      endorseOptions: () => ({ deadline: Date.now() + t.endorseMs }),
      submitOptions: () => ({ deadline: Date.now() + t.submitMs }),
      commitStatusOptions: () => ({ deadline: Date.now() + t.commitStatusMs }),
    });
    this.#network = this.#gateway.getNetwork(config.channel);
    this.#chaincode = config.chaincode;
    this.#contract = this.#network.getContract(config.chaincode);
  }

  async submit<T>(fn: string, args: readonly string[], options: SubmitOptions = {}): Promise<SubmitResult<T>> {
    const proposal = this.#contract.newProposal(fn, {
      arguments: [...args],
      ...(options.endorsingOrganizations ? { endorsingOrganizations: [...options.endorsingOrganizations] } : {}),
      ...(options.transientData ? { transientData: { ...options.transientData } } : {}),
    });
    const transactionId = proposal.getTransactionId();
    try {
      const transaction = await proposal.endorse();
      const result = decodeResult<T>(transaction.getResult());
      const commit = await transaction.submit();
      const status = await commit.getStatus();
      if (!status.successful) {
        throw new CommitError({ code: status.code, transactionId, message: `transaction ${transactionId} failed to commit` });
      }
      return { result, transactionId, blockNumber: status.blockNumber };
    } catch (error) {
      const translated = ledgerErrorFrom(error, fn);
      // Endorsement errors carry the id themselves; keep it for the others too, so every failed
      // write can be traced in the peer's logs.
      if (translated.transactionId !== undefined) throw translated;
      throw new GatewayError(translated.code, translated.message, { details: translated.details, cause: error, transactionId });
    }
  }

  async evaluate<T>(fn: string, args: readonly string[]): Promise<T> {
    try {
      return decodeResult<T>(await this.#contract.evaluate(fn, { arguments: [...args] }));
    } catch (error) {
      throw ledgerErrorFrom(error, fn);
    }
  }

  async ping(): Promise<void> {
    await this.evaluate<unknown>(PING, []);
  }

  async watchBlocks(startBlock: bigint, onBlock: (block: CommittedBlock) => unknown, signal: AbortSignal, onOpen?: () => void): Promise<void> {
    await this.#blocks().watch(startBlock, onBlock, signal, onOpen);
  }

  async watchBlocksWithPrivateData(startBlock: bigint, collections: (name: string) => boolean, onBlock: (block: CommittedBlock) => unknown, signal: AbortSignal, onOpen?: () => void): Promise<void> {
    await this.#blocks(collections).watch(startBlock, onBlock, signal, onOpen);
  }

  #blocks(privateCollections?: (name: string) => boolean) {
    return fabricBlockSource(this.#network, { chaincode: this.#chaincode, ...(privateCollections && { privateCollections }), mapError: ledgerErrorFrom });
  }

  async chainHeight(): Promise<bigint> {
    return this.#blocks().chainHeight();
  }

  async chaincodeDefinition(): Promise<ChaincodeDefinition> {
    const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
    args.setName(this.#chaincode);
    try {
      const bytes = await this.#network.getContract(LIFECYCLE).evaluateTransaction(QUERY_DEFINITION, args.serializeBinary());
      const result = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(bytes);
      return { name: this.#chaincode, version: result.getVersion(), sequence: result.getSequence() };
    } catch (error) {
      throw ledgerErrorFrom(error, `${LIFECYCLE}:${QUERY_DEFINITION}`);
    }
  }

  close(): void {
    this.#gateway.close();
    this.#client.close();
  }
}

/**
 * Connects to the org's peer with the org's identity. The gRPC connection is made lazily, on the
 * first call; {@link LedgerClient.ping} tells whether it works.
 */
export function newFabricLedgerClient(config: FabricConnectionConfig): FabricLedgerClient {
  return new FabricLedgerClientImpl(config);
}
