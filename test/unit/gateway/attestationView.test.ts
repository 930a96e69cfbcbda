import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { createAttestationView, isGatewayError, type CommittedBlock, type LedgerClient } from '@kyc-ledger/gateway';

const ACC = { certifier: 'Certifier1MSP', countries: ['CH'], claimTopics: ['identity'], maxAssuranceLevel: 'substantial', validFrom: '2025-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z', status: 'active', updatedAt: '2025-01-01T00:00:00Z' };
const id = 'a1'.repeat(32);
const now = new Date('2026-06-01T00:00:00Z');

function attestation(status = 'active') {
  return {
    id, subject: 'eip155:1:0x0000000000000000000000000000000000000001', certifier: 'Certifier1MSP', signer: 'x', commitmentRoot: 'cc'.repeat(32),
    fieldNames: ['givenName'], claimTopics: ['identity'], jurisdiction: 'CH', assuranceLevel: 'substantial', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2028-01-01T00:00:00Z',
    evidenceHash: 'ee'.repeat(32), subjectSignature: { scheme: 'eip191', signature: '0x00' }, status, updatedAt: '2026-01-01T00:00:00Z',
  };
}

const write = (type: string, key: string, value: unknown) => ({ key: `\u0000${type}\u0000${key}\u0000`, value: new TextEncoder().encode(JSON.stringify(value)) });
const block = (number: number, writes: CommittedBlock['writes'] = []): CommittedBlock => ({ number: BigInt(number), writes, validTransactions: writes.length > 0 ? 1 : 0, invalidTransactions: 0, events: [] });

/** A ledger double whose block stream and peer height the test drives, counting peer reads. */
function streamLedger(options: { blocks?: boolean } = {}) {
  let onBlock: ((b: CommittedBlock) => void) | undefined;
  let fail: ((e: Error) => void) | undefined;
  const ledger = {
    reads: 0,
    height: 0n,
    starts: [] as bigint[],
    async evaluate<T>(): Promise<T> {
      ledger.reads++;
      return { id, valid: true, status: 'VALID', reasons: [], attestation: attestation(), accreditation: ACC } as T;
    },
    async submit() { throw new Error('not used'); },
    async ping() {},
    async chainHeight() { return ledger.height; },
    ...(options.blocks !== false && {
      watchBlocks: (start: bigint, deliver: (b: CommittedBlock) => void, signal: AbortSignal, onOpen?: () => void) => new Promise<void>((resolve, reject) => {
        ledger.starts.push(start);
        onBlock = deliver;
        fail = reject;
        signal.addEventListener('abort', () => resolve());
        onOpen?.();
      }),
    }),
  };
  return {
    ledger: ledger as typeof ledger & LedgerClient,
    /** The peer commits a block and the stream delivers it. */
    commit(b: CommittedBlock) {
      ledger.height = b.number + 1n;
      onBlock?.(b);
    },
    breakStream: () => fail?.(new Error('stream broken')),
  };
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A ledger with the genesis block and one registered attestation. */
function history(l: ReturnType<typeof streamLedger>) {
  l.commit(block(0));
  l.commit(block(1, [write('accreditation', 'Certifier1MSP', ACC), write('member', 'Certifier1MSP', { mspId: 'Certifier1MSP' })]));
  l.commit(block(2, [write('attestation', id, attestation()), write('attestation~subject', `x\u0000${id}`, 0)]));
}

/** A view whose replica has streamed that history and caught up with the peer. */
async function caughtUpView(l: ReturnType<typeof streamLedger>, options: { retryMs?: number } = {}) {
  const view = createAttestationView(l.ledger, { heightCheckMs: 10, ...options });
  await until(() => view.live);
  history(l);
  // Blocks are applied asynchronously (each lands in the store with the checkpoint).
  await until(() => view.caughtUp && view.height === 3n);
  return view;
}

describe('gateway attestation view (block-fed replica for verification)', function () {
  it('reads the peer until the replica has every block the peer had, then answers locally', async function () {
    const l = streamLedger();
    l.ledger.height = 3n; // the peer already holds 3 blocks the stream has not delivered yet
    const view = createAttestationView(l.ledger, { heightCheckMs: 10 });
    await until(() => view.live);
    expect(view.caughtUp).to.equal(false);
    expect((await view.status(id, now)).status).to.equal('VALID');
    expect(l.ledger.reads).to.equal(1);
    history(l);
    await until(() => view.caughtUp);
    expect(l.ledger.starts).to.deep.equal([0n]);
    expect(view.height).to.equal(3n);
    const status = await view.status(id, now);
    expect(status).to.deep.include({ status: 'VALID', valid: true, accreditation: ACC });
    // Status is still derived at the given time: past the expiry it is EXPIRED without a read.
    expect((await view.status(id, new Date('2029-01-01T00:00:00Z'))).status).to.equal('EXPIRED');
    // An id a caught-up replica has never seen is unknown to the chaincode too.
    const unknown = await view.status('b2'.repeat(32), now).catch((e: unknown) => e);
    expect(isGatewayError(unknown, 'NOT_FOUND')).to.equal(true);
    expect(l.ledger.reads).to.equal(1);
    expect(view.counts).to.deep.include({ replica: 3, peer: 1 });
    view.close();
  });

  it('applies a revocation and a de-accreditation as soon as their blocks are streamed', async function () {
    const l = streamLedger();
    const view = await caughtUpView(l);
    l.commit(block(3, [write('attestation', id, { ...attestation('revoked'), revocation: { reason: 'FRAUD', at: '2026-05-01T00:00:00Z' } })]));
    await until(() => view.height === 4n);
    expect((await view.status(id, now)).reasons.map((r) => r.code)).to.deep.equal(['REVOKED']);
    l.commit(block(4, [write('accreditation', 'Certifier1MSP', { ...ACC, status: 'revoked', revokedAt: '2026-05-02T00:00:00Z' })]));
    await until(() => view.height === 5n);
    expect((await view.status(id, now)).reasons.map((r) => r.code)).to.deep.equal(['REVOKED', 'CERTIFIER_NOT_ACCREDITED']);
    expect(l.ledger.reads).to.equal(0);
    view.close();
  });

  it('goes to the peer while the stream is broken, and resumes from its height', async function () {
    const l = streamLedger();
    const view = await caughtUpView(l, { retryMs: 20 });
    l.breakStream();
    await until(() => !view.live);
    expect(view.caughtUp).to.equal(false);
    await view.status(id, now);
    expect(l.ledger.reads).to.equal(1);
    await until(() => view.caughtUp);
    expect(l.ledger.starts).to.deep.equal([0n, 3n]);
    expect(view.counts.streamErrors).to.equal(1);
    await view.status(id, now);
    expect(l.ledger.reads).to.equal(1);
    view.close();
  });

  it('goes to the peer when the stream stalls behind the peer\'s height', async function () {
    const l = streamLedger();
    const view = await caughtUpView(l);
    l.ledger.height = 5n; // committed at the peer, never streamed
    await until(() => !view.caughtUp);
    expect(view.live).to.equal(true);
    await view.status(id, now);
    expect(l.ledger.reads).to.equal(1);
    l.commit(block(3));
    l.commit(block(4));
    await until(() => view.caughtUp);
    view.close();
  });

  it('always reads the peer when the ledger has no block stream', async function () {
    const l = streamLedger({ blocks: false });
    const view = createAttestationView(l.ledger, { heightCheckMs: 10 });
    await view.status(id, now);
    await new Promise((r) => setTimeout(r, 30));
    await view.status(id, now);
    expect([view.live, view.caughtUp, l.ledger.reads]).to.deep.equal([false, false, 2]);
    view.close();
  });

  it('keeps its replica in an on-disk store and, restarted on it, resumes from the checkpoint instead of block 0', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'kyc-view-'));
    try {
      const first = streamLedger();
      const db = new ClassicLevel<string, string>(dir);
      const view = createAttestationView(first.ledger, { heightCheckMs: 10, db });
      await until(() => view.live);
      history(first);
      await until(() => view.caughtUp && view.height === 3n);
      expect([view.resumedFrom, view.blocksApplied, view.size]).to.deep.equal([0n, 3, 1]);
      await view.close();
      await db.close();

      // The restarted gateway: same store, a ledger already at height 3 that streams from where asked.
      const second = streamLedger();
      second.ledger.height = 3n;
      const reopened = new ClassicLevel<string, string>(dir);
      const again = createAttestationView(second.ledger, { heightCheckMs: 10, db: reopened });
      await until(() => again.caughtUp);
      expect(second.ledger.starts).to.deep.equal([3n]);
      expect([again.resumedFrom, again.blocksApplied, again.height, again.size]).to.deep.equal([3n, 0, 3n, 1]);
      expect((await again.status(id, now)).status).to.equal('VALID');
      expect(second.ledger.reads).to.equal(0);
      await again.close();
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
