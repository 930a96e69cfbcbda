import { expect } from 'chai';
import { loadPagesModule } from '../../../support/pagesModule';

type Progress = { state: 'waiting' } | { state: 'active'; certifier: string } | { state: 'not-valid'; status: string };

describe('pages/wallet: attestation progress from the public status route', function () {
  const { attestationProgress } = loadPagesModule<{ attestationProgress(answer: unknown, id: string): Progress }>('wallet/attestationProgress');
  const id = 'ab'.repeat(32);
  const entry = (over: Record<string, unknown>) => ({ id, valid: true, status: 'VALID', reasons: [], attestation: { id, certifier: 'Certifier1MSP' }, ...over });

  it('waits until the attestation is registered', function () {
    expect(attestationProgress({ subject: 's', valid: false, attestations: [] }, id)).to.deep.equal({ state: 'waiting' });
    expect(attestationProgress({ attestations: [entry({ id: 'cd'.repeat(32) })] }, id)).to.deep.equal({ state: 'waiting' });
    expect(attestationProgress(null, id)).to.deep.equal({ state: 'waiting' });
  });

  it('says who attested once it is valid, and why not otherwise', function () {
    expect(attestationProgress({ attestations: [entry({})] }, id)).to.deep.equal({ state: 'active', certifier: 'Certifier1MSP' });
    expect(attestationProgress({ attestations: [entry({ valid: false, status: 'REVOKED' })] }, id)).to.deep.equal({ state: 'not-valid', status: 'REVOKED' });
  });
});
