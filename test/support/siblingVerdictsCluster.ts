/**
 * A child process for the sibling-verdict test: a cluster primary relaying, worker 0 holding a
 * verdict for session S-held, worker 1 asking for it and for an unknown session. Prints the
 * answers worker 1 got as one JSON line, then exits.
 */
import cluster from 'node:cluster';
import { relaySiblingVerdicts, siblingVerdicts, type Verdict } from '@kyc-ledger/gateway';

const HELD: Verdict = { verified: true, reasons: [], fields: { familyName: 'Doe' }, decidedAt: '2026-01-01T00:00:00.000Z' };
const REFUSED: Verdict = { verified: false, reasons: [{ code: 'REFUSED', message: 'refused' }], decidedAt: '2026-01-01T00:00:01.000Z', refusedAt: '2026-01-01T00:00:01.000Z' };

if (cluster.isPrimary) {
  relaySiblingVerdicts();
  const holder = cluster.fork({ ROLE: 'holder' });
  holder.once('message', (m: unknown) => {
    if (m !== 'ready') return;
    const asker = cluster.fork({ ROLE: 'asker' });
    asker.on('message', (answer: unknown) => {
      if ((answer as { result?: unknown }).result === undefined) return;
      process.stdout.write(`${JSON.stringify((answer as { result: unknown }).result)}\n`);
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    });
  });
} else if (process.env.ROLE === 'holder') {
  siblingVerdicts((id) => (id === 'S-held' ? HELD : id === 'S-refused' ? REFUSED : undefined));
  process.send?.('ready');
} else {
  const ask = siblingVerdicts(() => undefined);
  void Promise.all([ask('S-held'), ask('S-unknown'), ask('S-refused')]).then(([held, unknown, refused]) => process.send?.({ result: { held: held ?? null, unknown: unknown ?? null, refused: refused ?? null } }));
}
