import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf, type Caller } from './caller';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { parseInput } from './parseInput';
import {
  bootstrapSchema,
  mspIdSchema,
  proposalInputSchema,
  type Accreditation,
  type AccreditationInput,
  type Member,
  type Proposal,
  type Role,
  PROPOSAL_STATUSES,
  type ProposalStatus,
} from './registryModel';
import { parseRuleSet, publishRuleSet, ruleSetVersions } from './ruleSetStore';
import { checkSessionCertificate, sessionCertificateInputSchema, type SessionCertificate } from './sessionCertificate';
import type { RuleSet } from './compliance';
import { emit, parseJson, readAll, readJson, stateKey, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';
import { activeMember, readAccreditation } from './requireRole';

export { activeMember, checkRole, readAccreditation, requireRole } from './requireRole';

/**
 * The network id signed statements must name: "<consortium>/<channel>", so a signature made for
 * another consortium or channel is never accepted here.
 */
export async function networkId(ctx: Context): Promise<string> {
  return networkIdOf(ctx, await readJson<NetworkConfig>(ctx, ObjectTypes.CONFIG, 'network'));
}

interface NetworkConfig {
  network: string;
}

/** {@link networkId} from an already read network configuration. */
export function networkIdOf(ctx: Context, config: NetworkConfig | undefined): string {
  if (!config) throw new ChaincodeError(ErrorCodes.NOT_FOUND, 'the registry is not bootstrapped yet');
  return `${config.network}/${ctx.stub.getChannelID()}`;
}

/** A banking rule set proposal's payload: valid, consortium-wide and not taking effect in the past. */
function bankingRuleSet(payload: unknown, now: string): RuleSet {
  const ruleSet = parseRuleSet(payload);
  const problems = [
    ...(ruleSet.kind === 'banking' ? [] : ['payload.kind: only banking rule sets are consortium-wide; issuers publish securities rule sets with asset:publishRuleSet']),
    ...(ruleSet.scope === 'consortium' ? [] : ['payload.scope: a banking rule set has the scope "consortium"']),
    ...(Date.parse(ruleSet.effectiveFrom) >= Date.parse(now) ? [] : [`payload.effectiveFrom: ${ruleSet.effectiveFrom} is before the transaction time ${now}`]),
  ];
  if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid rule set proposal', { problems });
  return ruleSet;
}

/**
 * What a certifier's write checks, read in one batch with the attestations it concerns: the
 * caller's membership, its accreditation and the network configuration.
 */
export interface RegistryView {
  member: Member | undefined;
  accreditation: Accreditation | undefined;
  config: NetworkConfig | undefined;
}

/** The state keys of a {@link RegistryView} for `mspId`, in that order. */
export function registryViewKeys(ctx: Context, mspId: string): string[] {
  return [
    stateKey(ctx, ObjectTypes.MEMBER, mspId),
    stateKey(ctx, ObjectTypes.ACCREDITATION, mspId),
    stateKey(ctx, ObjectTypes.CONFIG, 'network'),
  ];
}

/** A {@link RegistryView} from the values of {@link registryViewKeys}. */
export function registryViewOf(values: readonly (Uint8Array | undefined)[]): RegistryView {
  return { member: parseJson<Member>(values[0]), accreditation: parseJson<Accreditation>(values[1]), config: parseJson<NetworkConfig>(values[2]) };
}

/** Reads of the registry that other contracts use for their role and scope checks. */
async function requireMemberAdmin(ctx: Context): Promise<Caller> {
  const caller = callerOf(ctx);
  if (!caller.isAdmin || !(await activeMember(ctx, caller.mspId))) {
    throw new ChaincodeError(ErrorCodes.FORBIDDEN, 'only an admin of an active member org may do this', { mspId: caller.mspId, admin: caller.isAdmin });
  }
  return caller;
}

/**
 * Consortium governance: the member organisations, their roles and the certifiers' accreditation.
 * Every change after the bootstrap is a proposal that takes effect once admins of a majority of
 * active member orgs have approved it.
 */
@Info({ title: 'Registry', description: 'Member organisations, roles and certifier accreditation' })
export class RegistryContract extends Contract {
  constructor() {
    super('registry');
  }

  /** Seeds the registry from the network configuration at deployment; only while it is empty. */
  @Transaction()
  @Returns('string')
  async bootstrap(ctx: Context, input: string): Promise<string> {
    const caller = callerOf(ctx);
    const data = parseInput(bootstrapSchema, input, 'bootstrap');
    if ((await readAll<Member>(ctx, ObjectTypes.MEMBER)).length > 0) {
      throw new ChaincodeError(ErrorCodes.CONFLICT, 'the registry is already bootstrapped');
    }
    if (!caller.isAdmin || !data.members.some((m) => m.mspId === caller.mspId)) {
      throw new ChaincodeError(ErrorCodes.FORBIDDEN, 'bootstrap must be submitted by an admin of one of the listed orgs', { mspId: caller.mspId });
    }
    const problems: string[] = [];
    const ids = data.members.map((m) => m.mspId);
    ids.forEach((id, i) => ids.indexOf(id) !== i && problems.push(`members: ${id} is listed twice`));
    for (const acc of data.accreditations) {
      if (!data.members.some((m) => m.mspId === acc.certifier && m.roles.includes('certifier'))) {
        problems.push(`accreditations: ${acc.certifier} is not a listed certifier`);
      }
    }
    if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid bootstrap', { problems });
    const now = txTimeIso(ctx);
    await writeJson(ctx, { network: data.network }, ObjectTypes.CONFIG, 'network');
    const members: Member[] = data.members.map((m) => ({ ...m, roles: [...m.roles].sort(), status: 'active', since: now }));
    for (const member of members) await writeJson(ctx, member, ObjectTypes.MEMBER, member.mspId);
    const accreditations = data.accreditations.map((a) => this.#accreditation(a, now));
    for (const acc of accreditations) await writeJson(ctx, acc, ObjectTypes.ACCREDITATION, acc.certifier);
    emit(ctx, Events.REGISTRY_BOOTSTRAPPED, { members: ids, accreditations: accreditations.map((a) => a.certifier) });
    return canonicalJson({ network: `${data.network}/${ctx.stub.getChannelID()}`, members, accreditations });
  }

  @Transaction(false)
  @Returns('string')
  async listMembers(ctx: Context): Promise<string> {
    return canonicalJson(await readAll<Member>(ctx, ObjectTypes.MEMBER));
  }

  /** Every certifier's accreditation, active or revoked, by certifier MSP ID. */
  @Transaction(false)
  @Returns('string')
  async listAccreditations(ctx: Context): Promise<string> {
    const all = await readAll<Accreditation>(ctx, ObjectTypes.ACCREDITATION);
    return canonicalJson(all.sort((a, b) => (a.certifier < b.certifier ? -1 : a.certifier > b.certifier ? 1 : 0)));
  }

  /** Every version of the consortium's banking rule set, oldest effective date first, each with its hash. */
  @Transaction(false)
  @Returns('string')
  async listRuleSets(ctx: Context): Promise<string> {
    return canonicalJson(await ruleSetVersions(ctx, 'banking', 'consortium'));
  }

  @Transaction(false)
  @Returns('string')
  async getAccreditation(ctx: Context, certifier: string): Promise<string> {
    const id = mspIdSchema.safeParse(certifier);
    if (!id.success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid certifier MSP ID', { problems: [id.error.issues[0]?.message] });
    const acc = await readAccreditation(ctx, certifier);
    if (!acc) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no accreditation for ${certifier}`);
    return canonicalJson(acc);
  }

  /**
   * A bank publishes (or rotates) the certificate chain its sessions are signed with, so any
   * wallet can check who asks. Only the bank's own admin may, for its own org; see
   * {@link checkSessionCertificate} for what ties the chain to the bank's MSP.
   */
  @Transaction()
  @Returns('string')
  async setSessionCertificate(ctx: Context, input: string): Promise<string> {
    const caller = await requireMemberAdmin(ctx);
    if (!(await activeMember(ctx, caller.mspId))?.roles.includes('bank')) {
      throw new ChaincodeError(ErrorCodes.FORBIDDEN, 'only a bank member publishes a session certificate', { mspId: caller.mspId });
    }
    const data = parseInput(sessionCertificateInputSchema, input, 'session certificate');
    const record = checkSessionCertificate(ctx, caller.mspId, data, Date.parse(txTimeIso(ctx)), txTimeIso(ctx));
    await writeJson(ctx, record, ObjectTypes.SESSION_CERTIFICATE, caller.mspId);
    emit(ctx, Events.SESSION_CERTIFICATE_SET, { mspId: caller.mspId, fingerprint256: record.fingerprint256, caFingerprint256: record.caFingerprint256 });
    return canonicalJson(record);
  }

  /** The session certificate an active member published; NOT_FOUND when none (or no longer a member). */
  @Transaction(false)
  @Returns('string')
  async getSessionCertificate(ctx: Context, mspId: string): Promise<string> {
    const id = mspIdSchema.safeParse(mspId);
    if (!id.success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid MSP ID', { problems: [id.error.issues[0]?.message] });
    const record = (await activeMember(ctx, mspId)) ? await readJson<SessionCertificate>(ctx, ObjectTypes.SESSION_CERTIFICATE, mspId) : undefined;
    if (!record) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${mspId} has published no session certificate`);
    return canonicalJson(record);
  }

  @Transaction()
  @Returns('string')
  async propose(ctx: Context, input: string): Promise<string> {
    const caller = await requireMemberAdmin(ctx);
    const change = parseInput(proposalInputSchema, input, 'proposal');
    await this.#check(ctx, change);
    const proposal: Proposal = {
      ...change,
      id: ctx.stub.getTxID(),
      proposer: caller.mspId,
      approvals: [caller.mspId],
      status: 'open',
      createdAt: txTimeIso(ctx),
    };
    emit(ctx, Events.PROPOSAL_CREATED, { id: proposal.id, action: proposal.action, proposer: caller.mspId });
    return canonicalJson(await this.#executeIfApproved(ctx, proposal));
  }

  @Transaction()
  @Returns('string')
  async approve(ctx: Context, proposalId: string): Promise<string> {
    const caller = await requireMemberAdmin(ctx);
    const proposal = await this.#proposal(ctx, proposalId);
    if (proposal.status !== 'open') throw new ChaincodeError(ErrorCodes.CONFLICT, `proposal ${proposalId} is already ${proposal.status}`);
    if (proposal.approvals.includes(caller.mspId)) throw new ChaincodeError(ErrorCodes.CONFLICT, `${caller.mspId} has already approved ${proposalId}`);
    proposal.approvals = [...proposal.approvals, caller.mspId].sort();
    emit(ctx, Events.PROPOSAL_APPROVED, { id: proposal.id, approver: caller.mspId });
    return canonicalJson(await this.#executeIfApproved(ctx, proposal));
  }

  @Transaction(false)
  @Returns('string')
  async getProposal(ctx: Context, proposalId: string): Promise<string> {
    return canonicalJson(await this.#proposal(ctx, proposalId));
  }

  /**
   * Governance proposals, newest first; `status` ("open" or "executed") filters them, an empty
   * string lists all (a chaincode function always takes the same arguments).
   */
  @Transaction(false)
  @Returns('string')
  async listProposals(ctx: Context, status: string): Promise<string> {
    if (status !== '' && !(PROPOSAL_STATUSES as readonly string[]).includes(status)) {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid proposal status', { problems: [`status: must be one of ${PROPOSAL_STATUSES.join(', ')} (or empty for all)`] });
    }
    const all = await readAll<Proposal>(ctx, ObjectTypes.PROPOSAL);
    const wanted = status === '' ? all : all.filter((p) => p.status === (status as ProposalStatus));
    return canonicalJson(wanted.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1)));
  }

  async #proposal(ctx: Context, id: string): Promise<Proposal> {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid proposal id', { problems: ['must be a transaction id'] });
    const proposal = await readJson<Proposal>(ctx, ObjectTypes.PROPOSAL, id);
    if (!proposal) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no proposal ${id}`);
    return proposal;
  }

  /** Rejects a change that could never be executed, when it is proposed rather than when approved. */
  async #check(ctx: Context, change: Proposal | ReturnType<typeof proposalInputSchema.parse>): Promise<void> {
    const member = async (id: string) => activeMember(ctx, id);
    switch (change.action) {
      case 'addMember':
        if (await member(change.payload.mspId)) throw new ChaincodeError(ErrorCodes.CONFLICT, `${change.payload.mspId} is already a member`);
        break;
      case 'removeMember':
        if (!(await member(change.payload.mspId))) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${change.payload.mspId} is not an active member`);
        break;
      case 'accredit':
        if (!(await member(change.payload.certifier))?.roles.includes('certifier')) {
          throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `${change.payload.certifier} is not a certifier member`, { problems: ['payload.certifier: not a certifier'] });
        }
        break;
      case 'deaccredit':
        if ((await readAccreditation(ctx, change.payload.certifier))?.status !== 'active') {
          throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${change.payload.certifier} has no active accreditation`);
        }
        break;
      case 'publishRuleSet':
        bankingRuleSet(change.payload, txTimeIso(ctx));
        break;
    }
  }

  async #executeIfApproved(ctx: Context, proposal: Proposal): Promise<Proposal> {
    const active = (await readAll<Member>(ctx, ObjectTypes.MEMBER)).filter((m) => m.status === 'active').map((m) => m.mspId);
    const approvals = proposal.approvals.filter((a) => active.includes(a));
    if (approvals.length * 2 <= active.length) {
      await writeJson(ctx, proposal, ObjectTypes.PROPOSAL, proposal.id);
      return proposal;
    }
    await this.#check(ctx, proposal);
    const now = txTimeIso(ctx);
    switch (proposal.action) {
      case 'addMember':
        await writeJson(ctx, { ...proposal.payload, roles: [...proposal.payload.roles].sort(), status: 'active', since: now } satisfies Member, ObjectTypes.MEMBER, proposal.payload.mspId);
        break;
      case 'removeMember': {
        const member = (await activeMember(ctx, proposal.payload.mspId)) as Member;
        // A removed org's attestations must stop verifying at once, so its accreditation is
        // revoked first, in the same transaction (and reported in the same event).
        const acc = await readAccreditation(ctx, member.mspId);
        if (acc?.status === 'active') await this.#revoke(ctx, acc, now);
        await writeJson(ctx, { ...member, status: 'removed', removedAt: now } satisfies Member, ObjectTypes.MEMBER, member.mspId);
        emit(ctx, Events.MEMBER_REMOVED, { mspId: member.mspId });
        break;
      }
      case 'accredit':
        await writeJson(ctx, this.#accreditation(proposal.payload, now), ObjectTypes.ACCREDITATION, proposal.payload.certifier);
        break;
      case 'deaccredit':
        await this.#revoke(ctx, (await readAccreditation(ctx, proposal.payload.certifier)) as Accreditation, now);
        break;
      case 'publishRuleSet': {
        const { stored, unchanged } = await publishRuleSet(ctx, bankingRuleSet(proposal.payload, now), now, 'consortium');
        if (!unchanged) emit(ctx, Events.RULE_SET_PUBLISHED, { kind: stored.ruleSet.kind, scope: stored.ruleSet.scope, effectiveFrom: stored.ruleSet.effectiveFrom, hash: stored.hash });
        break;
      }
    }
    const executed: Proposal = { ...proposal, status: 'executed', executedAt: now };
    await writeJson(ctx, executed, ObjectTypes.PROPOSAL, proposal.id);
    emit(ctx, Events.PROPOSAL_EXECUTED, { id: proposal.id, action: proposal.action });
    return executed;
  }

  async #revoke(ctx: Context, acc: Accreditation, now: string): Promise<void> {
    await writeJson(ctx, { ...acc, status: 'revoked', revokedAt: now, updatedAt: now } satisfies Accreditation, ObjectTypes.ACCREDITATION, acc.certifier);
    emit(ctx, Events.ACCREDITATION_REVOKED, { certifier: acc.certifier, revokedAt: now });
  }

  #accreditation(input: AccreditationInput, now: string): Accreditation {
    return { ...input, countries: [...input.countries].sort(), claimTopics: [...input.claimTopics].sort(), status: 'active', updatedAt: now };
  }
}
