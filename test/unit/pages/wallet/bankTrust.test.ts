import { expect } from 'chai';
import { createBankSession, encodeSessionUri, type BankSession } from '@kyc-ledger/crypto';
import { createTestBank, createTestCa, issueTestIdentity, type TestIdentity } from '../../../support/bankPki';
import { loadPagesModule } from '../../../support/pagesModule';

interface BankPin {
  caFingerprint256: string;
  caSubject: string;
  pinnedAt: string;
}
type Check = { ok: true; session: BankSession; bankName: string; caFingerprint256: string; pin: 'new' | 'matched' } | { ok: false; code: string; message: string; session?: BankSession };
interface BankTrust {
  checkSession(uri: string, opts: { api: unknown; pins: { get(m: string): Promise<BankPin | undefined>; put(m: string, p: BankPin): Promise<void> }; now?: Date }): Promise<Check>;
}
interface ApiErrorModule {
  ApiError: new (status: number, code: string, message: string) => Error;
}

describe('pages/wallet: a session checked in the browser against the published certificate', function () {
  this.timeout(60_000);
  const { checkSession } = loadPagesModule<BankTrust>('wallet/bankTrust');
  const { ApiError } = loadPagesModule<ApiErrorModule>('shared/apiClient');
  let bank1: { ca: TestIdentity; user: TestIdentity };
  let bank2: { ca: TestIdentity; user: TestIdentity };
  let published: Record<string, { mspId: string; chain: string }>;
  let pins: Map<string, BankPin>;
  const members = [
    { mspId: 'Bank1MSP', name: 'Bank One', roles: ['bank'], status: 'active' },
    { mspId: 'Bank2MSP', name: 'Bank Two', roles: ['bank'], status: 'active' },
  ];
  // Behaves like the gateway's public routes: 404 (as an ApiError) for an MSP that published nothing.
  const api = {
    async get(route: string) {
      if (route === '/v1/public/members') return { members };
      const m = /^\/v1\/public\/members\/([^/]+)\/session-certificate$/.exec(route);
      const record = m ? published[decodeURIComponent(m[1] as string)] : undefined;
      if (!record) throw new ApiError(404, 'NOT_FOUND', 'no session certificate');
      return record;
    },
  };
  const pinStore = {
    get: async (m: string) => pins.get(m),
    put: async (m: string, p: BankPin) => void pins.set(m, p),
  };
  const input = (mspId = 'Bank1MSP', name = 'Bank One') => ({ network: 'kyc-ledger/kyc', bank: { mspId, name }, fields: ['givenName', 'familyName'], ttlSeconds: 300, submitUrl: 'http://127.0.0.1:1/v1/sessions/submissions' });

  beforeEach(function () {
    bank1 = createTestBank('bank1.example.com');
    bank2 = createTestBank('bank2.example.com');
    published = {
      Bank1MSP: { mspId: 'Bank1MSP', chain: bank1.user.certificatePem + bank1.ca.certificatePem },
      Bank2MSP: { mspId: 'Bank2MSP', chain: bank2.user.certificatePem + bank2.ca.certificatePem },
    };
    pins = new Map();
  });

  it('verifies a session signed with the published certificate, names the bank from the registry and pins its CA once', async function () {
    const uri = encodeSessionUri(createBankSession(input('Bank1MSP', 'Bank 1 (as the session says)'), bank1.user));
    const first = await checkSession(uri, { api, pins: pinStore });
    expect(first, JSON.stringify(first)).to.deep.include({ ok: true, bankName: 'Bank One', pin: 'new' });
    expect(pins.get('Bank1MSP')?.caFingerprint256).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await checkSession(uri, { api, pins: pinStore })) as { pin?: string }).to.deep.include({ ok: true, pin: 'matched' });
  });

  it('asks the gateway for every bank\'s certificate alike, so the wallet\'s home cannot tell which bank asks', async function () {
    const asked: string[][] = [];
    for (const bank of ['Bank1MSP', 'Bank2MSP']) {
      const routes: string[] = [];
      const recording = { get: (route: string) => (routes.push(route), api.get(route)) };
      const identity = bank === 'Bank1MSP' ? bank1.user : bank2.user;
      const check = await checkSession(encodeSessionUri(createBankSession(input(bank, bank), identity)), { api: recording, pins: pinStore });
      expect(check, JSON.stringify(check)).to.deep.include({ ok: true });
      asked.push(routes.sort());
    }
    expect(asked[0]).to.deep.equal(asked[1]);
    expect(asked[0]).to.include('/v1/public/members/Bank1MSP/session-certificate').and.include('/v1/public/members/Bank2MSP/session-certificate');
  });

  it('warns about a session that names Bank1 but is signed with Bank2\'s identity', async function () {
    const forged = encodeSessionUri(createBankSession(input('Bank1MSP'), bank2.user));
    const check = await checkSession(forged, { api, pins: pinStore });
    expect(check).to.deep.include({ ok: false, code: 'SESSION_SIGNER_UNTRUSTED' });
    expect(pins.size, 'nothing pinned for a refused session').to.equal(0);
  });

  it('warns about another certificate of the same CA than the published one', async function () {
    const other = issueTestIdentity(bank1.ca, 'Admin@bank1.example.com');
    const check = await checkSession(encodeSessionUri(createBankSession(input(), other)), { api, pins: pinStore });
    expect(check).to.deep.include({ ok: false, code: 'SESSION_SIGNER_UNTRUSTED' });
  });

  it('warns when the CA changed since it was pinned (no consent, no re-pin)', async function () {
    const uri = encodeSessionUri(createBankSession(input(), bank1.user));
    pins.set('Bank1MSP', { caFingerprint256: 'AA:BB', caSubject: 'CN=old', pinnedAt: '2026-01-01T00:00:00.000Z' });
    expect(await checkSession(uri, { api, pins: pinStore })).to.deep.include({ ok: false, code: 'BANK_PIN_MISMATCH' });
    expect(pins.get('Bank1MSP')?.caFingerprint256).to.equal('AA:BB');
  });

  it('warns about an expired session, a tampered one, a broken published chain and a bank that published nothing', async function () {
    const session = createBankSession(input(), bank1.user);
    const later = new Date(Date.parse(session.expiresAt) + 1000);
    expect(await checkSession(encodeSessionUri(session), { api, pins: pinStore, now: later })).to.deep.include({ ok: false, code: 'SESSION_EXPIRED' });
    const tampered = encodeSessionUri({ ...session, fields: ['birthDate', 'familyName', 'givenName'] });
    expect(await checkSession(tampered, { api, pins: pinStore })).to.deep.include({ ok: false, code: 'SESSION_SIGNATURE_INVALID' });
    const strangerCa: TestIdentity = createTestCa('stranger.example.com');
    published['Bank1MSP'] = { mspId: 'Bank1MSP', chain: bank1.user.certificatePem + strangerCa.certificatePem };
    expect(await checkSession(encodeSessionUri(session), { api, pins: pinStore })).to.deep.include({ ok: false, code: 'BANK_CERTIFICATE_UNAVAILABLE' });
    delete published['Bank1MSP'];
    expect(await checkSession(encodeSessionUri(session), { api, pins: pinStore })).to.deep.include({ ok: false, code: 'BANK_CERTIFICATE_NOT_PUBLISHED' });
    expect(await checkSession('kycledger://session?d=!!', { api, pins: pinStore })).to.deep.include({ ok: false, code: 'SESSION_URI_INVALID' });
  });
});
