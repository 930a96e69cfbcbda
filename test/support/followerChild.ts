/**
 * A follower in its own process, for the SIGKILL test: follows a chain of `total` test blocks into
 * a classic-level store at `dir` and exits 0 once every block is handled. Prints each start's
 * resume point so the parent can check it against the store, and its progress (`at <block>`).
 */
import { ClassicLevel } from 'classic-level';
import { createLedgerFollower } from '@kyc-ledger/follower';
import { chainSource, testSink } from './followerFixtures';

async function main(): Promise<void> {
  const [dir, totalText] = process.argv.slice(2);
  if (!dir || !totalText) throw new Error('usage: followerChild <dir> <total>');
  const total = Number(totalText);
  const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
  const follower = createLedgerFollower({ db, name: 'child', source: chainSource(total), sink: testSink(db, { probe: true }), retryMs: 10, heightCheckMs: 50 });
  await follower.opened;
  process.stdout.write(`resumed ${follower.resumedFrom}\n`);
  let reported = follower.resumedFrom;
  while ((follower.checkpoint ?? 0n) < BigInt(total)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Progress, so the parent can kill it at a chosen point of the stream rather than after a time.
    if (follower.checkpoint !== undefined && follower.checkpoint !== reported) process.stdout.write(`at ${(reported = follower.checkpoint)}\n`);
  }
  await follower.close();
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
