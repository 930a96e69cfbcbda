/**
 * @packageDocumentation
 * The one ledger follower (issue 10): committed blocks decoded to a chaincode's writes and events,
 * followed in order from a durable checkpoint kept in an embedded store.
 */
export { committedWrites, committedWritesWithPrivateData, type CommittedBlock, type KeyWrite, type PrivateDataMap, type PrivateWrite } from './committedWrites';
export { ledgerEventsOf, type TxLedgerEvent } from './ledgerEventsOf';
export { followBlocks, type BlockFeed, type BlockFeedOptions, type BlockSink, type BlockSource } from './blockFeed';
export { fabricBlockSource, followEvents, type FabricBlockSourceOptions } from './fabricBlockSource';
export { FollowerError, FollowerErrorCodes, type FollowerErrorCode } from './followerError';
export {
  createLedgerFollower, readCheckpoint, writeCheckpoint,
  type FollowerBatch, type FollowerDb, type FollowerSublevel, type LedgerFollower, type LedgerFollowerOptions, type LedgerFollowerSink,
} from './ledgerFollower';
