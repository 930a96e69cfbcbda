import type { Context } from 'fabric-contract-api';

/** The transaction timestamp as an ISO 8601 string: the only clock chaincode may read. */
export function txTimeIso(ctx: Context): string {
  const ts = ctx.stub.getTxTimestamp();
  const seconds = Number(ts.seconds.toString());
  const millis = Math.floor(ts.nanos / 1_000_000);
  return new Date(seconds * 1000 + millis).toISOString();
}
