import { expect } from 'chai';
import { loadPagesModule } from '../../../support/pagesModule';

interface SessionLink {
  sessionUriFrom(text: string): string | undefined;
  fragmentSessionUri(fragment: string): string | undefined;
}

describe('pages/wallet: session links', function () {
  const { sessionUriFrom, fragmentSessionUri } = loadPagesModule<SessionLink>('wallet/sessionLink');
  const uri = 'kycledger://session?d=eyJ2IjoxfQ';

  it('takes the bare URI and the counter link form (walletUrl + "#" + uri)', function () {
    expect(sessionUriFrom(uri)).to.equal(uri);
    expect(sessionUriFrom(`  ${uri}\n`)).to.equal(uri);
    expect(sessionUriFrom(`https://gw.bank1.example/app/wallet/#${uri}`)).to.equal(uri);
    expect(sessionUriFrom(`http://127.0.0.1:38080/app/wallet/#${encodeURIComponent(uri)}`)).to.equal(uri);
  });

  it('reads the fragment of the page it was opened with', function () {
    expect(fragmentSessionUri(`#${uri}`)).to.equal(uri);
    expect(fragmentSessionUri('')).to.equal(undefined);
    expect(fragmentSessionUri('#settings')).to.equal(undefined);
    expect(fragmentSessionUri('#%E0%A4%A')).to.equal(undefined);
  });

  it('ignores everything else', function () {
    expect(sessionUriFrom('https://example.com/')).to.equal(undefined);
    expect(sessionUriFrom('https://example.com/#other')).to.equal(undefined);
    expect(sessionUriFrom('javascript:alert(1)#kycledger://session?d=x')).to.equal(undefined);
    expect(sessionUriFrom('kycledger://other?d=x')).to.equal(undefined);
    expect(sessionUriFrom('WIFI:S:cafe;;')).to.equal(undefined);
  });
});
