import { expect } from 'chai';
import { createAttestationView, type LedgerClient, type LedgerEvent } from '@kyc-ledger/gateway';

const ACC = { certifier: 'Certifier1MSP', countries: ['CH'], claimTopics: ['identity'], maxAssuranceLevel: 'substantial', validFrom: '2025-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z', status: 'active', updatedAt: '2025-01-01T00:00:00Z' };

function attestation(status = 'active') {
  return {
    id: 'a1'.repeat(32), subject: 'eip155:1:0x0000000000000000000000000000000000000001', certifier: 'Certifier1MSP', signer: 'x', commitmentRoot: 'cc'.repeat(32),
    fieldNames: ['givenName'], claimTopics: ['identity'], jurisdiction: 'CH', assuranceLevel: 'substantial', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2028-01-01T00:00:00Z',
    evidenceHash: 'ee'.repeat(32), subjectSignature: { scheme: 'eip191', signature: '0x00' }, status, updatedAt: '2026-01-01T00:00:00Z',
  };
}

/** A ledger double whose event stream the test drives, counting peer reads. */
function eventLedger(options: { events?: boolean } = {}) {
  let emit: ((e: LedgerEvent) => void) | undefined;
  let open: (() => void) | undefined;
  let current = attestation();
  let gate: Promise<void> | undefined;
  const ledger = {
    reads: 0,
    async evaluate<T>(): Promise<T> {
      ledger.reads++;
      const answer = { id: current.id, valid: current.status === 'active', status: current.status === 'active' ? 'VALID' : 'REVOKED', reasons: [], attestation: current, accreditation: ACC };
      if (gate) await gate;
      return answer as T;
    },
    async submit() { throw new Error('not used'); },
    async ping() {},
    ...(options.events !== false && {
      watchEvents: (onEvent: (e: LedgerEvent) => void, signal: AbortSignal, onOpen?: () => void) => new Promise<void>((resolve) => {
        emit = onEvent;
        open = onOpen;
        signal.addEventListener('abort', () => resolve());
      }),
    }),
  };
  return {
    ledger: ledger as typeof ledger & LedgerClient,
    open: () => open?.(),
    emit: (name: string, payload: unknown) => emit?.({ name, payload, blockNumber: 1n }),
    revoke: () => { current = attestation('revoked'); },
    hold: () => { let release!: () => void; gate = new Promise((r) => { release = r; }); return () => { gate = undefined; release(); }; },
  };
}

const now = new Date('2026-06-01T00:00:00Z');
const id = 'a1'.repeat(32);

describe('gateway attestation view (event-fed cache for verification)', function () {
  it('reads the peer once, then derives the status locally while the event stream is live', async function () {
    const l = eventLedger();
    const view = createAttestationView(l.ledger);
    await new Promise((r) => setImmediate(r));
    l.open();
    expect((await view.status(id, now)).status).to.equal('VALID');
    expect((await view.status(id, now)).status).to.equal('VALID');
    expect(l.ledger.reads).to.equal(1);
    // Status is still derived at the given time: past the expiry it is EXPIRED without a read.
    expect((await view.status(id, new Date('2029-01-01T00:00:00Z'))).status).to.equal('EXPIRED');
    expect(l.ledger.reads).to.equal(1);
    view.close();
  });

  it('drops an attestation when a block revokes it, and accreditations after governance', async function () {
    const l = eventLedger();
    const view = createAttestationView(l.ledger);
    await new Promise((r) => setImmediate(r));
    l.open();
    await view.status(id, now);
    l.revoke();
    l.emit('AttestationRevoked', { id, reason: 'FRAUD' });
    expect((await view.status(id, now)).status).to.equal('REVOKED');
    expect(l.ledger.reads).to.equal(2);
    l.emit('ProposalExecuted', { id: 'p', action: 'deaccredit' });
    await view.status(id, now);
    expect(l.ledger.reads).to.equal(3);
    view.close();
  });

  it('caches nothing without a live stream, nor a read that an event overtook', async function () {
    const none = eventLedger({ events: false });
    const plain = createAttestationView(none.ledger);
    await plain.status(id, now);
    await plain.status(id, now);
    expect(none.ledger.reads).to.equal(2);

    const l = eventLedger();
    const view = createAttestationView(l.ledger);
    await new Promise((r) => setImmediate(r));
    l.open();
    const release = l.hold();
    const pending = view.status(id, now);
    l.emit('AttestationRevoked', { id, reason: 'FRAUD' });
    release();
    await pending;
    await view.status(id, now);
    expect(l.ledger.reads).to.equal(2);
    view.close();
  });
});
