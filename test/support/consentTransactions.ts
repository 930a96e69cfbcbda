import { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { Network as FabricNetwork } from '@hyperledger/fabric-gateway';

/** The public parts of one consent transaction in a block, as every channel member sees them. */
export interface ConsentTransaction {
  block: bigint;
  txId: string;
  valid: boolean;
  /** The whole transaction envelope as stored in the block. */
  envelope: Buffer;
  /** Chaincode function and arguments (the transient map is never in the block). */
  args: Buffer[];
  publicReads: string[];
  publicWrites: { key: string; value: Buffer }[];
  event: { name: string; payload: Buffer } | undefined;
  response: Buffer;
  /** Fabric's private-data hashes: per collection, SHA-256 of each written key and value. */
  hashedWrites: { collection: string; keyHash: string; valueHash: string }[];
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Every `consent:*` transaction of a block, decoded down to its read-write sets. */
export function consentTransactions(block: common.Block, namespace: string): ConsentTransaction[] {
  const number = BigInt(block.getHeader()?.getNumber() ?? 0);
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const found: ConsentTransaction[] = [];
  (block.getData()?.getDataList_asU8() ?? []).forEach((bytes, i) => {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
    for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
      const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
      const proposal = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
      const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
      const args = (spec?.getInput()?.getArgsList_asU8() ?? []).map((a) => Buffer.from(a));
      if (spec?.getChaincodeId()?.getName() !== namespace || !args[0]?.toString('utf8').startsWith('consent:')) continue;
      const responsePayload = peer.ProposalResponsePayload.deserializeBinary(actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array());
      const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
      const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
      const tx: ConsentTransaction = {
        block: number, txId: channelHeader.getTxId(), valid: filter[i] === peer.TxValidationCode.VALID, envelope: Buffer.from(bytes), args,
        publicReads: [], publicWrites: [], event: undefined, response: Buffer.from(chaincodeAction.getResponse()?.getPayload_asU8() ?? new Uint8Array()), hashedWrites: [],
      };
      const event = chaincodeAction.getEvents_asU8();
      if (event.length > 0) {
        const decoded = peer.ChaincodeEvent.deserializeBinary(event);
        tx.event = { name: decoded.getEventName(), payload: Buffer.from(decoded.getPayload_asU8()) };
      }
      for (const ns of rwset.getNsRwsetList()) {
        const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
        tx.publicReads.push(...kv.getReadsList().map((r) => r.getKey()));
        tx.publicWrites.push(...kv.getWritesList().map((w) => ({ key: w.getKey(), value: Buffer.from(w.getValue_asU8()) })));
        for (const coll of ns.getCollectionHashedRwsetList()) {
          const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8());
          tx.hashedWrites.push(...hashed.getHashedWritesList().map((w) => ({ collection: coll.getCollectionName(), keyHash: hex(w.getKeyHash_asU8()), valueHash: hex(w.getValueHash_asU8()) })));
        }
      }
      found.push(tx);
    }
  });
  return found;
}

/** Blocks 0 … height−1 of the channel, read through a Fabric Gateway connection. */
export async function readBlocks(network: FabricNetwork, height: bigint): Promise<common.Block[]> {
  const blocks: common.Block[] = [];
  if (height === 0n) return blocks;
  const events = await network.getBlockEvents({ startBlock: 0n });
  try {
    for await (const block of events) {
      blocks.push(block);
      if (BigInt(block.getHeader()?.getNumber() ?? 0) >= height - 1n) break;
    }
  } finally {
    events.close();
  }
  return blocks;
}
