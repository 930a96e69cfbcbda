import type { Context } from 'fabric-contract-api';
import { RegistryOps, type LedgerChange, type RegistryAction, type RegistryOp } from '@kyc-ledger/api';
import { requireAssetIssuer } from './assetAccess';
import type { Attestation } from './attestationModel';
import { evaluateStatus } from './attestationStatus';
import { investorCollection } from './collections';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events, recordChange } from './events';
import type { Approval, Asset, Registration } from './investorModel';
import { normaliseAccount, requireApprovals } from './officerApprovals';
import { appendRegistryChanges } from './registryLog';
import { networkId, readAccreditation } from './registryContract';
import { readJson, stateKey, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

/**
 * One transaction's view of an asset's registry for its registry writes. A transaction does not
 * read its own writes, so registrations written earlier in it are kept here and read first: a
 * later action of a batch on the same address sees the earlier one's effect.
 */
export interface RegistrySession {
  ctx: Context;
  asset: Asset;
  now: string;
  written: Map<string, Registration>;
  network(): Promise<string>;
}

/** What an action will write; nothing is written until it has passed every check. */
interface Plan {
  writes: Registration[];
  change: LedgerChange;
  ops: { op: RegistryOp; address: string }[];
  result: Registration;
}

/** The outcome of an applied action: the registration it answers and the sequence numbers it took. */
export interface Applied {
  registration: Registration;
  seqs: number[];
}

/** A session for the caller's own asset (issuer role and ownership checked once). */
export async function openRegistrySession(ctx: Context, assetId: string): Promise<RegistrySession> {
  const { asset } = await requireAssetIssuer(ctx, assetId);
  let network: Promise<string> | undefined;
  return { ctx, asset, now: txTimeIso(ctx), written: new Map(), network: () => (network ??= networkId(ctx)) };
}

/** A registration as this transaction sees it (its own earlier writes first). */
export async function readRegistration(ctx: Context, asset: string, address: string, session?: RegistrySession): Promise<Registration | undefined> {
  return session?.written.get(address) ?? readJson<Registration>(ctx, ObjectTypes.REGISTRATION, asset, address);
}

async function requireRegistered(s: RegistrySession, address: string): Promise<Registration> {
  const reg = await readRegistration(s.ctx, s.asset.id, address, s);
  if (!reg || reg.status !== 'registered') throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${address} is not registered for ${s.asset.id}`);
  return reg;
}

/**
 * The attestation backing a registration must be the subject's own, by the named certifier, and
 * valid now; the investor record it points to must exist (checked by its hash, which every peer
 * can read without seeing the record).
 */
async function checkBacking(s: RegistrySession, input: { address: string; certifier: string; attestationId: string; investor: string }): Promise<void> {
  const { ctx } = s;
  const attestation = await readJson<Attestation>(ctx, ObjectTypes.ATTESTATION, input.attestationId);
  if (!attestation) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no attestation ${input.attestationId}`);
  const problems: string[] = [];
  if (attestation.subject !== input.address) problems.push(`attestationId: attests ${attestation.subject}, not ${input.address}`);
  if (attestation.certifier !== input.certifier) problems.push(`certifier: the attestation is by ${attestation.certifier}`);
  if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'the attestation does not back this registration', { problems });
  const status = evaluateStatus(attestation, await readAccreditation(ctx, attestation.certifier), s.now);
  if (!status.valid) throw new ChaincodeError(ErrorCodes.ATTESTATION_NOT_ACTIVE, `attestation ${attestation.id} is not valid`, { status: status.status, reasons: status.reasons });
  const hash = await ctx.stub.getPrivateDataHash(investorCollection(s.asset.issuer, input.certifier), stateKey(ctx, ObjectTypes.INVESTOR, input.investor));
  if (!hash || hash.length === 0) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no investor record ${input.investor} shared by ${s.asset.issuer} and ${input.certifier}`);
}

async function planRegister(s: RegistrySession, data: Extract<RegistryAction, { action: 'register' }>): Promise<Plan> {
  const { asset } = s;
  const address = normaliseAccount(data.address, 'address');
  const existing = await readRegistration(s.ctx, asset.id, address, s);
  if (existing?.status === 'registered') throw new ChaincodeError(ErrorCodes.CONFLICT, `${address} is already registered for ${asset.id}`);
  if (existing?.recoveredTo) {
    // Its investor moved to another address (lost key); its holding follows with recoverHoldings.
    throw new ChaincodeError(ErrorCodes.CONFLICT, `${address} was recovered to ${existing.recoveredTo} and cannot be registered again`);
  }
  await checkBacking(s, { ...data, address });
  const nonce = existing?.nonce ?? 0;
  const approvedBy = requireApprovals(asset.officers, { action: 'register', asset: asset.id, address, investor: data.investor, certifier: data.certifier, attestationId: data.attestationId, nonce }, data.approvals, await s.network());
  const reg: Registration = {
    asset: asset.id, address, investor: data.investor, certifier: data.certifier, attestationId: data.attestationId,
    status: 'registered', frozen: false, nonce: nonce + 1, approvedBy, registeredAt: s.now, updatedAt: s.now,
  };
  return { writes: [reg], change: { type: Events.ADDRESS_REGISTERED, asset: asset.id, address }, ops: [{ op: RegistryOps.AUTHENTICATE, address }], result: reg };
}

async function planDeregister(s: RegistrySession, data: { address: string }): Promise<Plan> {
  const address = normaliseAccount(data.address, 'address');
  const reg = await requireRegistered(s, address);
  const updated: Registration = { ...reg, status: 'deregistered', frozen: false, nonce: reg.nonce + 1, updatedAt: s.now };
  return { writes: [updated], change: { type: Events.ADDRESS_DEREGISTERED, asset: s.asset.id, address }, ops: [{ op: RegistryOps.REVOKE, address }], result: updated };
}

async function planFreeze(s: RegistrySession, data: { address: string }): Promise<Plan> {
  const address = normaliseAccount(data.address, 'address');
  const reg = await requireRegistered(s, address);
  if (reg.frozen) throw new ChaincodeError(ErrorCodes.CONFLICT, `${reg.address} is already frozen for ${reg.asset}`);
  const updated: Registration = { ...reg, frozen: true, nonce: reg.nonce + 1, updatedAt: s.now };
  return { writes: [updated], change: { type: Events.ADDRESS_FROZEN, asset: s.asset.id, address }, ops: [{ op: RegistryOps.FREEZE, address }], result: updated };
}

async function planUnfreeze(s: RegistrySession, data: { address: string; approvals: Approval[] }): Promise<Plan> {
  const { asset } = s;
  const address = normaliseAccount(data.address, 'address');
  const reg = await requireRegistered(s, address);
  if (!reg.frozen) throw new ChaincodeError(ErrorCodes.CONFLICT, `${address} is not frozen for ${asset.id}`);
  requireApprovals(asset.officers, { action: 'unfreezeAddress', asset: asset.id, address, nonce: reg.nonce }, data.approvals, await s.network());
  const updated: Registration = { ...reg, frozen: false, nonce: reg.nonce + 1, updatedAt: s.now };
  return { writes: [updated], change: { type: Events.ADDRESS_UNFROZEN, asset: asset.id, address }, ops: [{ op: RegistryOps.UNFREEZE, address }], result: updated };
}

async function planRecover(s: RegistrySession, data: Extract<RegistryAction, { action: 'recover' }>): Promise<Plan> {
  const { asset, now } = s;
  const from = normaliseAccount(data.from, 'from');
  const to = normaliseAccount(data.to, 'to');
  if (from === to) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid recovery', { problems: ['to: must differ from from'] });
  const old = await requireRegistered(s, from);
  const target = await readRegistration(s.ctx, asset.id, to, s);
  if (target?.status === 'registered') throw new ChaincodeError(ErrorCodes.CONFLICT, `${to} is already registered for ${asset.id}`);
  await checkBacking(s, { address: to, certifier: old.certifier, attestationId: data.attestationId, investor: old.investor });
  const approvedBy = requireApprovals(asset.officers, { action: 'recover', asset: asset.id, from, to, attestationId: data.attestationId, nonce: old.nonce }, data.approvals, await s.network());
  const next: Registration = {
    asset: asset.id, address: to, investor: old.investor, certifier: old.certifier, attestationId: data.attestationId,
    status: 'registered', frozen: old.frozen, nonce: (target?.nonce ?? 0) + 1, approvedBy, registeredAt: now, updatedAt: now, recoveredFrom: from,
  };
  const retired: Registration = { ...old, status: 'deregistered', recoveredTo: to, nonce: old.nonce + 1, updatedAt: now };
  const ops: Plan['ops'] = [{ op: RegistryOps.REVOKE, address: from }, { op: RegistryOps.AUTHENTICATE, address: to }];
  // The new address carries the old one's freeze; a mirror of the registry must freeze it too.
  if (old.frozen) ops.push({ op: RegistryOps.FREEZE, address: to });
  return { writes: [retired, next], change: { type: Events.ADDRESS_RECOVERED, asset: asset.id, from, to }, ops, result: next };
}

/** Checks an action against the session's state and returns what it would write. */
function plan(s: RegistrySession, action: RegistryAction): Promise<Plan> {
  switch (action.action) {
    case 'register': return planRegister(s, action);
    case 'deregister': return planDeregister(s, action);
    case 'freeze': return planFreeze(s, action);
    case 'unfreeze': return planUnfreeze(s, action);
    case 'recover': return planRecover(s, action);
  }
}

/**
 * Runs one registry action: every check first, then its registration writes, its ledger change
 * and its registry changes (each with the asset's next sequence number). An action that fails a
 * check throws before writing anything.
 */
export async function applyRegistryAction(s: RegistrySession, action: RegistryAction): Promise<Applied> {
  const planned = await plan(s, action);
  for (const reg of planned.writes) {
    await writeJson(s.ctx, reg, ObjectTypes.REGISTRATION, s.asset.id, reg.address);
    s.written.set(reg.address, reg);
  }
  recordChange(s.ctx, planned.change);
  const changes = await appendRegistryChanges(s.ctx, s.asset.id, planned.ops);
  return { registration: planned.result, seqs: changes.map((c) => c.seq) };
}
