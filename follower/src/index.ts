/**
 * @packageDocumentation
 * The one ledger follower (issue 10): committed blocks in order from a durable checkpoint.
 */
export {};
