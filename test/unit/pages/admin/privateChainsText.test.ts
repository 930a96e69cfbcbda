import { expect } from 'chai';
import { loadPagesModule } from '../../../support/pagesModule';

interface Link { linkId: string; asset: string; chainId: number; contract: string; syncAccount: string; appliedSeq: number; ledgerHead: number; lag: number; lastError?: string }
interface Answer { org: string; configured: boolean; reachable?: boolean; reason?: string; checkedAt: string; links: Link[] }
type Notice = { text: string; kind: 'muted' | 'error' } | undefined;

describe('pages/admin: the linked private chains card\'s texts', function () {
  const { lagText, privateChainsNotice } = loadPagesModule<{ lagText(link: Link): { text: string; kind: string }; privateChainsNotice(answer: Answer): Notice }>('admin/privateChainsText');
  const link = (lag: number): Link => ({ linkId: 'l1', asset: 'BOND', chainId: 1337, contract: '0xabc', syncAccount: '0xdef', appliedSeq: 5 - lag, ledgerHead: 5, lag });
  const answer = (over: Partial<Answer>): Answer => ({ org: 'Issuer1MSP', configured: true, reachable: true, checkedAt: '2026-11-30T12:00:00.000Z', links: [], ...over });

  it('says whether a link is in step or how many changes behind', function () {
    expect(lagText(link(0))).to.deep.equal({ text: 'in step (0)', kind: 'ok' });
    expect(lagText(link(1))).to.deep.equal({ text: '1 change behind', kind: 'warn' });
    expect(lagText(link(4))).to.deep.equal({ text: '4 changes behind', kind: 'warn' });
  });

  it('explains an adapter that is not configured, unreachable (with the reason) or has no link of the org; nothing when links are listed', function () {
    expect(privateChainsNotice(answer({ configured: false, reachable: undefined }))?.text).to.contain('no RPC adapter configured');
    const down = privateChainsNotice(answer({ reachable: false, reason: 'the RPC adapter is unavailable' }));
    expect(down).to.deep.equal({ text: 'The RPC adapter could not be read: the RPC adapter is unavailable.', kind: 'error' });
    expect(privateChainsNotice(answer({}))?.text).to.contain('No private chain is linked to an asset of Issuer1MSP');
    expect(privateChainsNotice(answer({ links: [link(0)] }))).to.equal(undefined);
  });
});
