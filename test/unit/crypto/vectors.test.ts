import { expect } from 'chai';
import { vectorFiles } from '@kyc-ledger/crypto';
import { readVectorFile } from './vectorFiles';

describe('crypto: committed test vectors', () => {
  const files = vectorFiles();

  for (const name of ['commitments.json', 'signatures.json']) {
    it(`${name} is reproduced byte for byte (regenerate: node crypto/dist/generateVectors.js)`, () => {
      expect(files[name], `${name} is not generated`).to.be.a('string');
      expect(readVectorFile(name)).to.equal(files[name]);
    });
  }

  it('is deterministic across runs', () => {
    expect(vectorFiles()).to.deep.equal(files);
  });
});
