import { expect } from 'chai';
import { createSharedValueParser } from '@kyc-ledger/gateway/dist/sharedValueParser';

const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

describe('createSharedValueParser', function () {
  it('parses a bytes object once and hands out the same deeply frozen value', function () {
    const parse = createSharedValueParser();
    const stored = bytes({ kind: 'securities', rules: { holderCaps: { byCountry: { US: 5 } }, list: [{ days: 365 }] } });
    const first = parse(stored) as { rules: { holderCaps: { byCountry: Record<string, number> }; list: { days: number }[] } };
    expect(parse(stored)).to.equal(first);
    expect(Object.isFrozen(first.rules.holderCaps.byCountry)).to.equal(true);
    expect(Object.isFrozen(first.rules.list[0])).to.equal(true);
    expect(() => { first.rules.holderCaps.byCountry['US'] = 6; }).to.throw(TypeError);
  });

  it('parses another bytes object afresh, even with the same content (a key written again)', function () {
    const parse = createSharedValueParser();
    const a = parse(bytes({ balance: '10' }));
    const b = parse(bytes({ balance: '10' }));
    expect(b).to.deep.equal(a);
    expect(b).to.not.equal(a);
    expect(parse(bytes({ balance: '11' }))).to.deep.equal({ balance: '11' });
  });

  it('reads a view into a larger buffer by its own bounds', function () {
    const parse = createSharedValueParser();
    const whole = Buffer.from('xx{"a":1}yy');
    expect(parse(new Uint8Array(whole.buffer, whole.byteOffset + 2, 7))).to.deep.equal({ a: 1 });
  });
});
