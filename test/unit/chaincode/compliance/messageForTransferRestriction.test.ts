import { expect } from 'chai';
import { messageForTransferRestriction, RestrictionCodes, restrictionCodeName, supportedLocales } from '@kyc-ledger/chaincode/dist/compliance';

describe('messageForTransferRestriction and RestrictionCodes', function () {
  const codes = Object.values(RestrictionCodes);

  it('keeps codes unique, below 256, with 0 = SUCCESS and SCREAMING_SNAKE names', function () {
    expect(new Set(codes).size).to.equal(codes.length);
    expect(codes.every((c) => Number.isInteger(c) && c >= 0 && c < 256)).to.equal(true);
    expect(RestrictionCodes.SUCCESS).to.equal(0);
    expect(Object.keys(RestrictionCodes).every((n) => /^[A-Z][A-Z0-9_]*$/.test(n))).to.equal(true);
    expect(restrictionCodeName(37)).to.equal('LOCKED_UP');
    expect(restrictionCodeName(9)).to.equal(undefined);
  });

  it('speaks English and German', function () {
    expect(messageForTransferRestriction(0)).to.equal('The transfer is allowed.');
    expect(messageForTransferRestriction(RestrictionCodes.LOCKED_UP, 'en')).to.equal("The sender's holding is still in its lock-up period.");
    expect(messageForTransferRestriction(RestrictionCodes.LOCKED_UP, 'de')).to.equal('Der Bestand des Absenders unterliegt noch einer Sperrfrist.');
    expect(messageForTransferRestriction(RestrictionCodes.COUNTRY_HOLDER_CAP, 'de')).to.equal('Die Höchstzahl der Inhaber im Land des Empfängers ist erreicht.');
    expect(supportedLocales).to.include.members(['en', 'de', 'fr']);
  });

  it('has a distinct message for every code in every locale', function () {
    for (const locale of supportedLocales) {
      const messages = codes.map((c) => messageForTransferRestriction(c, locale));
      expect(new Set(messages).size, locale).to.equal(codes.length);
      expect(messages.some((m) => /unknown|unbekannt|inconnu/i.test(m)), locale).to.equal(false);
    }
    expect(messageForTransferRestriction(RestrictionCodes.ASSET_FROZEN, 'fr')).to.not.equal(messageForTransferRestriction(RestrictionCodes.ASSET_FROZEN, 'de'));
  });

  it('falls back from a regional locale to its language, and from an unknown one to English', function () {
    expect(messageForTransferRestriction(1, 'de-CH')).to.equal(messageForTransferRestriction(1, 'de'));
    expect(messageForTransferRestriction(1, 'DE_at')).to.equal(messageForTransferRestriction(1, 'de'));
    expect(messageForTransferRestriction(1, 'xx')).to.equal(messageForTransferRestriction(1, 'en'));
    expect(messageForTransferRestriction(1, 'constructor')).to.equal(messageForTransferRestriction(1, 'en'));
  });

  it('says which code is unknown, in the asked language', function () {
    expect(messageForTransferRestriction(99)).to.equal('Unknown restriction code 99.');
    expect(messageForTransferRestriction(9, 'de-CH')).to.equal('Unbekannter Beschränkungscode 9.');
    expect(messageForTransferRestriction(-1, 'fr')).to.equal('Code de restriction inconnu -1.');
  });
});
