import { expect } from 'chai';
import type { BankSession } from '@kyc-ledger/crypto';
import { SessionStore } from '@kyc-ledger/gateway';

const GRACE_MS = 60_000;
const session = (id: string, expiresAt: string) => ({ sessionId: id, expiresAt }) as unknown as BankSession;

describe('gateway: SessionStore', () => {
  it('forgets a session once its expiry plus the grace period has passed, even between sweeps', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new SessionStore(GRACE_MS, () => new Date(now));
    store.add(session('a'.repeat(22), '2026-01-01T00:01:00Z'));
    store.add(session('b'.repeat(22), '2026-01-01T01:00:00Z'));
    now += 60_000 + GRACE_MS - 1;
    expect(store.get('a'.repeat(22))?.state).to.equal('open');
    // 2 ms later the first is past its grace; less than a second since the last sweep.
    now += 2;
    expect(store.get('a'.repeat(22))).to.equal(undefined);
    expect(store.get('b'.repeat(22))?.state).to.equal('open');
  });

  it('sweeps forgotten sessions out of memory at most once a second', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new SessionStore(GRACE_MS, () => new Date(now));
    for (let i = 0; i < 100; i++) store.add(session(`s${String(i).padStart(21, '0')}`, '2026-01-01T00:00:30Z'));
    store.add(session('k'.repeat(22), '2026-01-01T02:00:00Z'));
    expect(store.size).to.equal(101);
    now += 30_000 + GRACE_MS + 1;
    store.add(session('n'.repeat(22), '2026-01-01T02:00:00Z'));
    expect(store.size).to.equal(2);
  });
});
