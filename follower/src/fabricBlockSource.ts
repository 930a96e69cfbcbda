import type { CloseableAsyncIterable, Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { BlockSource } from './blockFeed';
import { committedWrites, committedWritesWithPrivateData, type CommittedBlock } from './committedWrites';

const QSCC = 'qscc';
const GET_CHAIN_INFO = 'GetChainInfo';

export interface FabricBlockSourceOptions {
  /** The chaincode (namespace) whose writes and events each block is reduced to. */
  chaincode: string;
  /**
   * Follow with the private data the peer holds for its org's collections (the peer's
   * DeliverWithPrivateData, which needs an identity of a member org); each block then carries the
   * private writes to the collections this selects. Absent: public blocks only.
   */
  privateCollections?: (name: string) => boolean;
  /** Wraps errors of the deliver and qscc calls (e.g. into the caller's coded errors). */
  mapError?: (error: unknown, operation: string) => unknown;
}

/**
 * The channel's committed blocks from a Fabric Gateway connection, decoded to
 * {@link CommittedBlock}s, and the peer's height (qscc GetChainInfo).
 */
export function fabricBlockSource(network: Network, options: FabricBlockSourceOptions): Required<BlockSource<CommittedBlock>> {
  const mapError = options.mapError ?? ((error: unknown) => error);
  const { chaincode, privateCollections } = options;
  return {
    watch: (startBlock, onBlock, signal, onOpen) =>
      privateCollections
        ? followEvents(() => network.getBlockAndPrivateDataEvents({ startBlock }), (event) => onBlock(committedWritesWithPrivateData(event, chaincode, privateCollections)), signal, onOpen, mapError)
        : followEvents(() => network.getBlockEvents({ startBlock }), (block) => onBlock(committedWrites(block, chaincode)), signal, onOpen, mapError),
    async chainHeight() {
      try {
        const info = await network.getContract(QSCC).evaluateTransaction(GET_CHAIN_INFO, network.getName());
        return BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight());
      } catch (error) {
        throw mapError(error, `${QSCC}:${GET_CHAIN_INFO}`);
      }
    },
  };
}

/**
 * Reads a deliver stream until `signal` aborts, awaiting each event's handling before reading the
 * next; rejects when the stream breaks or the handler throws (the stream is closed either way).
 */
export async function followEvents<E>(open: () => Promise<CloseableAsyncIterable<E>>, onEvent: (event: E) => unknown, signal: AbortSignal, onOpen: (() => void) | undefined, mapError: (error: unknown, operation: string) => unknown = (e) => e): Promise<void> {
  let events: CloseableAsyncIterable<E>;
  try {
    events = await open();
  } catch (error) {
    throw mapError(error, 'deliver');
  }
  onOpen?.();
  const stop = () => events.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const event of events) await onEvent(event);
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', stop);
    events.close();
  }
}
