import { expect } from 'chai';
import { createBankSession, encodeSessionUri, type BankSession } from '@kyc-ledger/crypto';
import { sessionUriFromLink, showSession } from '@kyc-ledger/wallet';
import { createTestBank } from '../../support/bankPki';
import { NETWORK } from './walletFixtures';

describe('wallet: a web wallet link carries the session in its fragment', function () {
  this.timeout(30_000);
  let trustedCas: Record<string, string[]>;
  let session: BankSession;
  let uri: string;

  // Made before each test, not when the file loads: a long suite would outlive the session.
  beforeEach(() => {
    const bank = createTestBank('bank1.example.com');
    trustedCas = { Bank1MSP: [bank.ca.certificatePem] };
    session = createBankSession(
      { network: NETWORK, bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: ['givenName'], claimTopics: [], ttlSeconds: 300, submitUrl: 'https://bank1.example.com/v1/sessions/submissions' },
      { ...bank.user, now: new Date() },
    );
    uri = encodeSessionUri(session);
  });

  it('takes the uri out of a wallet link, percent-encoded or not, and leaves other text alone', () => {
    expect(sessionUriFromLink(uri)).to.equal(uri);
    expect(sessionUriFromLink(`  http://127.0.0.1:17010/app/wallet/#${uri}\n`)).to.equal(uri);
    expect(sessionUriFromLink(`https://wallet.example/app/wallet/#${encodeURIComponent(uri)}`)).to.equal(uri);
    expect(sessionUriFromLink('https://wallet.example/app/wallet/#something-else')).to.equal('https://wallet.example/app/wallet/#something-else');
    expect(sessionUriFromLink('ftp://x/#' + uri)).to.equal('ftp://x/#' + uri);
  });

  it('shows the same session from the link as from the uri, and refuses a link to nothing with SESSION_URI_INVALID', () => {
    const fromLink = showSession(`http://127.0.0.1:17010/app/wallet/#${uri}`, { trustedCas });
    expect(fromLink.summary.sessionId).to.equal(session.sessionId);
    expect(fromLink.session).to.deep.equal(showSession(uri, { trustedCas }).session);
    try {
      showSession('http://127.0.0.1:17010/app/wallet/#nothing', { trustedCas });
      expect.fail('a link without a session was accepted');
    } catch (e) {
      expect((e as { code?: string }).code).to.equal('SESSION_URI_INVALID');
    }
  });
});
