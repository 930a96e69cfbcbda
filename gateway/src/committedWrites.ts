import { common, ledger, peer } from '@hyperledger/fabric-protos';

/** One key written (or deleted, `value` undefined) by a valid transaction. */
export interface KeyWrite {
  key: string;
  value: Uint8Array | undefined;
}

/** What a committed block changed in one chaincode's world state. */
export interface CommittedBlock {
  number: bigint;
  /** Writes of the valid transactions, in block order (a later write of a key wins). */
  writes: KeyWrite[];
  /** Endorser transactions the committing peer marked valid / invalid. */
  validTransactions: number;
  invalidTransactions: number;
}

const VALID = peer.TxValidationCode.VALID;

/**
 * The public writes that one chaincode's valid transactions made in a block. The peer records each
 * transaction's validation code in the block metadata (TRANSACTIONS_FILTER); an invalid
 * transaction (MVCC conflict, endorsement policy failure, duplicate id, …) is in the block but its
 * writes never reached the world state, so they are skipped. Config transactions carry no
 * chaincode writes. Throws on a block without a filter covering every transaction: applying
 * writes without knowing which are valid could resurrect rejected data.
 */
export function committedWrites(block: common.Block, namespace: string): CommittedBlock {
  const header = block.getHeader();
  if (!header) throw new Error('block without a header');
  const number = BigInt(header.getNumber());
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  if (!filter || filter.length < envelopes.length) {
    throw new Error(`block ${number} has no transaction validation codes for its ${envelopes.length} transaction(s)`);
  }
  const result: CommittedBlock = { number, writes: [], validTransactions: 0, invalidTransactions: 0 };
  envelopes.forEach((bytes, i) => {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
    if (filter[i] !== VALID) {
      result.invalidTransactions++;
      return;
    }
    result.validTransactions++;
    for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
      const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
      if (!endorsed) continue;
      const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
      const results = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()).getResults_asU8();
      for (const set of ledger.rwset.TxReadWriteSet.deserializeBinary(results).getNsRwsetList()) {
        // Other namespaces (_lifecycle, other chaincodes) are not this chaincode's state.
        if (set.getNamespace() !== namespace) continue;
        for (const write of ledger.rwset.kvrwset.KVRWSet.deserializeBinary(set.getRwset_asU8()).getWritesList()) {
          result.writes.push({ key: write.getKey(), value: write.getIsDelete() ? undefined : write.getValue_asU8() });
        }
      }
    }
  });
  return result;
}
