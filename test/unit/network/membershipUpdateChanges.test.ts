import { expect } from 'chai';
import { NetworkError, summarizeUpdate, type ConfigUpdateJson } from '@kyc-ledger/network';
import { orgGroupJson } from './orgGroupFixture';

// Configs and updates in configtxlator's JSON form, shaped as `compute_update` makes them: the read
// set pins versions, the write set carries a bumped Application and only new or changed elements in full.
const v = (n: number) => String(n);
const org = (id: string) => orgGroupJson(id);
const pinned = (_id: string) => ({ version: v(0), groups: {}, values: {}, policies: {} });
const appPolicies = (bump = '') => Object.fromEntries(['Readers', 'Writers', 'Admins', 'Endorsement', 'LifecycleEndorsement'].map((p) => [p, { version: p === bump ? v(1) : v(0), mod_policy: 'Admins', policy: { type: 3, value: { rule: 'MAJORITY', sub_policy: p } } }]));
const current = () => ({
  sequence: '3',
  channel_group: {
    version: v(0), mod_policy: 'Admins', values: {}, policies: {},
    groups: {
      Application: { version: v(1), mod_policy: 'Admins', policies: appPolicies(), values: { Capabilities: { version: v(0), mod_policy: 'Admins', value: {} } }, groups: { Bank1MSP: org('Bank1MSP'), Bank2MSP: org('Bank2MSP'), Certifier1MSP: org('Certifier1MSP') } },
      Orderer: { version: v(0), mod_policy: 'Admins', groups: {}, values: {}, policies: {} },
    },
  },
});
const pinnedApp = (members: string[]) => ({
  version: v(1), values: { Capabilities: { version: v(0) } }, policies: Object.fromEntries(Object.keys(appPolicies()).map((p) => [p, { version: v(0) }])),
  groups: Object.fromEntries(members.map((m) => [m, pinned(m)])),
});
const update = (app: object, read: object = pinnedApp(['Bank1MSP', 'Bank2MSP', 'Certifier1MSP'])): ConfigUpdateJson => ({
  channel_id: 'kyc',
  read_set: { version: v(0), groups: { Application: read } } as never,
  write_set: { version: v(0), groups: { Application: app } } as never,
});
const writtenApp = (groups: Record<string, object>, extra: object = {}) => ({ ...pinnedApp([]), version: v(2), mod_policy: 'Admins', groups, ...extra });
const members = { Bank1MSP: pinned('Bank1MSP'), Bank2MSP: pinned('Bank2MSP'), Certifier1MSP: pinned('Certifier1MSP') };
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(NetworkError);
    return error as NetworkError;
  }
  throw new Error('expected a refusal');
};

describe('membership: what a config update changes', function () {
  it('lists an add-org update element by element and accepts it', function () {
    const summary = summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP') })), current());
    expect(summary).to.deep.include({ channel: 'kyc', changesMembers: true, added: ['Bank3MSP'], removed: [], membersAfter: ['Bank1MSP', 'Bank2MSP', 'Bank3MSP', 'Certifier1MSP'] });
    expect(summary.changes.map((c) => `${c.change} ${c.path}`)).to.deep.equal([
      'modified /Channel/Application',
      'added /Channel/Application/Bank3MSP',
      'added /Channel/Application/Bank3MSP/values/MSP',
      'added /Channel/Application/Bank3MSP/policies/Admins',
      'added /Channel/Application/Bank3MSP/policies/Endorsement',
      'added /Channel/Application/Bank3MSP/policies/Readers',
      'added /Channel/Application/Bank3MSP/policies/Writers',
    ]);
  });

  it('accepts a remove-org update: the group is absent from the new Application', function () {
    const { Bank2MSP: _dropped, ...rest } = members;
    const summary = summarizeUpdate(update(writtenApp(rest)), current());
    expect(summary).to.deep.include({ added: [], removed: ['Bank2MSP'], membersAfter: ['Bank1MSP', 'Certifier1MSP'] });
    expect(summary.changes.map((c) => `${c.change} ${c.path}`)).to.deep.equal(['modified /Channel/Application', 'removed /Channel/Application/Bank2MSP']);
  });

  it('refuses an add that also replaces another member\'s MSP (its root CAs)', function () {
    const bank1 = { version: v(0), groups: {}, policies: {}, values: { MSP: { version: v(1), mod_policy: 'Admins', value: { config: { name: 'Bank1MSP', root_certs: ['attacker'] } } } } };
    const error = refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank1MSP: bank1, Bank3MSP: org('Bank3MSP') })), current()));
    expect(error.code).to.equal('CONFIG_UPDATE_INVALID');
    expect((error.details as { problems: string[] }).problems).to.deep.equal(['modified value /Channel/Application/Bank1MSP/values/MSP']);
  });

  it('refuses an add that also loosens the Application Endorsement policy', function () {
    const error = refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP') }, { policies: { ...pinnedApp([]).policies, Endorsement: { version: v(1), mod_policy: 'Admins', policy: { type: 3, value: { rule: 'ANY', sub_policy: 'Endorsement' } } } } })), current()));
    expect(error.code).to.equal('CONFIG_UPDATE_INVALID');
    expect((error.details as { problems: string[] }).problems).to.deep.equal(['modified policy /Channel/Application/policies/Endorsement']);
  });

  it('refuses an update that drops an Application policy or changes its mod policy', function () {
    const { LifecycleEndorsement: _gone, ...kept } = pinnedApp([]).policies;
    const dropped = refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP') }, { policies: kept })), current()));
    expect((dropped.details as { problems: string[] }).problems).to.deep.equal(['removed policy /Channel/Application/policies/LifecycleEndorsement']);
    const modPolicy = refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP') }, { mod_policy: 'Readers' })), current()));
    expect(modPolicy.message).to.match(/mod policy of \/Channel\/Application from Admins to Readers/);
  });

  it('refuses two orgs at once, an add with a remove, and an update that changes no member', function () {
    const { Bank2MSP: _dropped, ...rest } = members;
    expect(refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP'), Bank4MSP: org('Bank4MSP') })), current())).code).to.equal('CONFIG_UPDATE_INVALID');
    expect(refusal(() => summarizeUpdate(update(writtenApp({ ...rest, Bank3MSP: org('Bank3MSP') })), current())).code).to.equal('CONFIG_UPDATE_INVALID');
    const orderer = { channel_id: 'kyc', read_set: { version: v(0), groups: { Orderer: { version: v(0) } } }, write_set: { version: v(0), groups: { Orderer: { version: v(1), mod_policy: 'Admins', groups: {}, values: {}, policies: {} } } } } as ConfigUpdateJson;
    const error = refusal(() => summarizeUpdate(orderer, current()));
    expect((error.details as { problems: string[] }).problems).to.deep.equal(['adds 0 and removes 0 org groups under /Channel/Application (exactly one add or one remove is allowed)', 'modified group /Channel/Orderer']);
  });

  it('lists but accepts other changes when explicitly allowed', function () {
    const summary = summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP') }, { mod_policy: 'Readers' })), current(), { allowOtherChanges: true });
    expect(summary.added).to.deep.equal(['Bank3MSP']);
  });

  it('refuses, as CONFIG_STALE, an update computed on an older config', function () {
    const old = { ...pinnedApp(['Bank1MSP', 'Bank2MSP', 'Certifier1MSP']), version: v(0) };
    const error = refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: org('Bank3MSP') }), old), current()));
    expect(error.code).to.equal('CONFIG_STALE');
    expect(error.details).to.deep.equal({ key: '/Channel/Application', expected: 0, current: 1 });
  });

  it('refuses an add whose new group names another MSP or widens its policies', function () {
    const foreign = refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: orgGroupJson('Bank1MSP') })), current()));
    expect(foreign.code).to.equal('CONFIG_UPDATE_INVALID');
    expect((foreign.details as { problems: string[] }).problems).to.include('values.MSP: config name Bank1MSP, not Bank3MSP');
    const wide = orgGroupJson('Bank3MSP', { Readers: ['ADMIN', 'PEER', 'CLIENT'], Writers: ['ADMIN', 'CLIENT'], Admins: ['ADMIN', 'CLIENT'], Endorsement: ['PEER'] });
    expect(refusal(() => summarizeUpdate(update(writtenApp({ ...members, Bank3MSP: wide })), current())).message).to.match(/policies\.Admins: roles ADMIN\|CLIENT, expected ADMIN/);
  });

  it('refuses a file that is not an update', function () {
    expect(refusal(() => summarizeUpdate({ channel_id: 'kyc' }, current())).code).to.equal('CONFIG_UPDATE_INVALID');
  });
});
