import { expect } from 'chai';
import { ChaincodeError } from '@kyc-ledger/chaincode';
import {
  evaluateTransfer, inputsHash, RestrictionCodes, ruleSetHash, ruleSetInForce,
  type BankingRuleSet, type InvestorFacts, type SecuritiesRuleSet, type TransferCheckInput,
} from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, attestation, exampleRuleSet, investor, party, transfer } from '../../../support/complianceFixtures';

describe('evaluateTransfer', function () {
  const banking = exampleRuleSet<BankingRuleSet>('banking-fatf-2026.json');
  const regD = exampleRuleSet<SecuritiesRuleSet>('reg-d-style-asset.json');
  const rules = { banking, securities: regD };
  const AT = '2026-05-01T00:00:00Z';
  const US_TOPICS = attestation({ claimTopics: ['identity', 'address', 'accreditation'] });

  const sender = party(ALICE, { balance: '1000', acquiredAt: '2025-01-01T00:00:00Z', investor: investor({ investorType: 'professional' }) });
  const usInvestor = (facts: Partial<InvestorFacts> = {}, balance = '0') =>
    party(BOB, { balance, investor: investor({ jurisdiction: 'US', investorType: 'accredited', accreditationExpiresAt: '2027-01-01T00:00:00Z', ...facts }), attestation: US_TOPICS });
  const input = (overrides: Partial<TransferCheckInput>) => transfer({ at: AT, from: sender, ...overrides });

  it('blocks a US retail investor from a Reg-D-style asset while an accredited one passes', function () {
    const accredited = evaluateTransfer(input({ to: usInvestor() }), rules);
    expect(accredited).to.deep.include({ code: 0, name: 'SUCCESS', reasons: [] });
    const retail = evaluateTransfer(input({ to: usInvestor({ investorType: 'retail' }) }), rules);
    expect(retail.code).to.equal(RestrictionCodes.INVESTOR_TYPE_NOT_ALLOWED);
    expect(retail.reasons.map((r) => [r.name, r.party, r.module])).to.deep.equal([['INVESTOR_TYPE_NOT_ALLOWED', 'to', 'investorTypes']]);
  });

  it('blocks the next investor of a country whose holder cap is reached, but not one already holding', function () {
    const holders = { total: 120, byCountry: { US: 99, CH: 21 } };
    const newcomer = evaluateTransfer(input({ to: usInvestor(), holders }), rules);
    expect(newcomer.name).to.equal('COUNTRY_HOLDER_CAP');
    expect(newcomer.reasons).to.have.length(1);
    expect(evaluateTransfer(input({ to: usInvestor({}, '50'), holders }), rules).code).to.equal(0);
    expect(evaluateTransfer(input({ to: party(BOB, { investor: investor({ investorType: 'professional' }) }), holders }), rules).code).to.equal(0);
  });

  it('blocks a lock-up before its date and allows the same transfer after it, by transaction time', function () {
    const usSeller = usInvestor({ amlScreenedAt: '2027-01-01T00:00:00Z' }, '500');
    const buyer = party(BOB, { investor: investor({ investorType: 'professional', amlScreenedAt: '2027-01-01T00:00:00Z' }) });
    const at = (when: string) => transfer({ at: when, from: { ...usSeller, address: ALICE, acquiredAt: '2026-03-15T00:00:00Z' }, to: buyer });
    const before = evaluateTransfer(at('2027-03-14T23:59:59Z'), rules);
    expect(before.reasons.map((r) => r.name)).to.deep.equal(['LOCKED_UP']);
    expect(before.reasons[0]?.details).to.deep.equal({ lockedUntil: '2027-03-15T00:00:00.000Z' });
    expect(evaluateTransfer(at('2027-03-15T00:00:00Z'), rules).code).to.equal(0);
  });

  it('reports every failing rule of a transfer that fails three, the lowest code first', function () {
    const verdict = evaluateTransfer(input({ amount: '1001', to: { ...usInvestor({ investorType: 'retail' }), frozen: true } }), rules);
    expect(verdict.reasons.map((r) => `${r.code}:${r.name}@${r.party}`)).to.deep.equal([
      '3:RECIPIENT_FROZEN@to', '6:INSUFFICIENT_BALANCE@from', '31:INVESTOR_TYPE_NOT_ALLOWED@to',
    ]);
    expect(verdict).to.deep.include({ code: 3, name: 'RECIPIENT_FROZEN' });
  });

  it('combines banking and securities reasons for both parties', function () {
    const pepSender = { ...sender, investor: investor({ investorType: 'professional', pep: true, jurisdiction: 'KP' }) };
    const verdict = evaluateTransfer(input({ from: pepSender, to: usInvestor({ riskTier: 'medium', amlScreenedAt: '2025-01-01T00:00:00Z' }) }), rules);
    expect(verdict.reasons.map((r) => `${r.name}@${r.party}`)).to.deep.equal([
      'AML_SCREENING_STALE@to', 'JURISDICTION_SANCTIONED@from', 'PEP_NOT_ALLOWED@from',
    ]);
  });

  it('fails closed without a rule set', function () {
    const verdict = evaluateTransfer(input({ to: usInvestor() }), { banking });
    expect(verdict.reasons.map((r) => [r.name, r.details])).to.deep.equal([['NO_RULE_SET', { kind: 'securities', scope: 'ACME-REG-D-1' }]]);
    expect(verdict.ruleSetHashes).to.deep.equal({ banking: ruleSetHash(banking) });
  });

  it('names the rule-set hashes and the inputs hash, and replays to the same verdict', function () {
    const facts = input({ to: usInvestor({ investorType: 'retail' }), amount: '1001' });
    const verdict = evaluateTransfer(facts, rules);
    expect(verdict.ruleSetHashes).to.deep.equal({ banking: ruleSetHash(banking), securities: ruleSetHash(regD) });
    expect(verdict.inputsHash).to.equal(inputsHash(facts)).and.to.match(/^[0-9a-f]{64}$/);
    const replayed = evaluateTransfer(JSON.parse(JSON.stringify(facts)) as TransferCheckInput, JSON.parse(JSON.stringify(rules)) as typeof rules);
    expect(replayed).to.deep.equal(verdict);
    expect(evaluateTransfer({ ...facts, amount: '1002' }, rules).inputsHash).to.not.equal(verdict.inputsHash);
  });

  it('changes the verdict only from the effective date of a newly published version', function () {
    const stricter = { ...regD, effectiveFrom: '2026-06-01T00:00:00Z', rules: { ...regD.rules, jurisdictions: { blocked: ['US'] } } };
    const versions = [regD, stricter];
    const verdictAt = (at: string) => {
      const facts = transfer({ at, from: sender, to: usInvestor() });
      return evaluateTransfer(facts, { banking, securities: ruleSetInForce(versions, at) });
    };
    expect(verdictAt('2026-05-31T23:59:59Z').code).to.equal(0);
    expect(verdictAt('2026-06-01T00:00:00Z').name).to.equal('JURISDICTION_NOT_ALLOWED');
  });

  it('throws INVALID_ARGUMENT for malformed facts or rules that do not fit the transfer', function () {
    const problemsOf = (fn: () => unknown): string[] => {
      try {
        fn();
      } catch (error) {
        expect(error).to.be.instanceOf(ChaincodeError);
        expect((error as ChaincodeError).code).to.equal('INVALID_ARGUMENT');
        return ((error as ChaincodeError).details as { problems: string[] }).problems;
      }
      throw new Error('expected a ChaincodeError');
    };
    expect(problemsOf(() => evaluateTransfer(input({ at: 'yesterday', holders: { total: -1, byCountry: {} } }), rules))).to.have.length(2);
    expect(problemsOf(() => evaluateTransfer(input({}), { banking, securities: { ...regD, scope: 'OTHER' } })))
      .to.deep.equal(['securities: scope OTHER is not asset ACME-REG-D-1']);
    expect(problemsOf(() => evaluateTransfer(input({ at: '2026-02-01T00:00:00Z' }), rules))).to.have.length(2);
  });
});
