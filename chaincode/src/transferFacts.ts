import type { Context } from 'fabric-contract-api';
import type { Attestation } from './attestationModel';
import { evaluateStatus } from './attestationStatus';
import { investorCollection, issuerCollection } from './collections';
import type { AttestationFacts, InvestorFacts, PartyFacts, RuleSet, TransferCheckInput } from './compliance';
import type { Asset, HolderCounts, Holding, InvestorRecord, Registration, TransferInput } from './investorModel';
import { normaliseAccount } from './officerApprovals';
import { readPrivateJson } from './privateState';
import { readAccreditation } from './requireRole';
import { ruleSetAt } from './ruleSetStore';
import { readJson, ObjectTypes } from './state';

/** Everything a transfer check reads from the ledger, plus the rule sets in force. */
export interface TransferFacts {
  input: TransferCheckInput;
  rules: { banking?: RuleSet; securities?: RuleSet };
  /**
   * The investor each registered party belongs to (by its registration, whether or not the record
   * still exists): a recorded decision keeps that party's facts in this investor's collection.
   */
  parties: { from?: InvestorRef; to?: InvestorRef };
  holdings: { from?: Holding; to?: Holding };
}

/** Names an investor record: its collection is the asset issuer's and this certifier's. */
export interface InvestorRef {
  certifier: string;
  id: string;
}

export const NO_HOLDERS: HolderCounts = { total: 0, byCountry: {} };

export async function readHolding(ctx: Context, asset: Asset, address: string): Promise<Holding | undefined> {
  return readPrivateJson<Holding>(ctx, issuerCollection(asset.issuer), ObjectTypes.HOLDING, asset.id, address);
}

export async function readHolders(ctx: Context, asset: Asset): Promise<HolderCounts> {
  return (await readPrivateJson<HolderCounts>(ctx, issuerCollection(asset.issuer), ObjectTypes.HOLDERS, asset.id)) ?? NO_HOLDERS;
}

function investorFacts(r: InvestorRecord): InvestorFacts {
  return {
    jurisdiction: r.jurisdiction,
    investorType: r.investorType,
    entityType: r.entityType,
    ...(r.accreditationExpiresAt !== undefined && { accreditationExpiresAt: r.accreditationExpiresAt }),
    riskTier: r.riskTier,
    pep: r.pep,
    amlScreenedAt: r.amlScreenedAt,
    kycVerifiedAt: r.kycVerifiedAt,
  };
}

async function attestationFacts(ctx: Context, id: string, at: string): Promise<AttestationFacts | undefined> {
  const a = await readJson<Attestation>(ctx, ObjectTypes.ATTESTATION, id);
  if (!a) return undefined;
  const status = evaluateStatus(a, await readAccreditation(ctx, a.certifier), at);
  return { id: a.id, claimTopics: a.claimTopics, assuranceLevel: a.assuranceLevel, valid: status.valid, failing: status.reasons.map((r) => r.code) };
}

async function partyFacts(ctx: Context, asset: Asset, address: string, at: string): Promise<{ party: PartyFacts; holding?: Holding; investor?: InvestorRef }> {
  const reg = await readJson<Registration>(ctx, ObjectTypes.REGISTRATION, asset.id, address);
  const holding = await readHolding(ctx, asset, address);
  const party: PartyFacts = {
    address,
    registered: reg?.status === 'registered',
    frozen: reg?.status === 'registered' && reg.frozen,
    balance: holding?.balance ?? '0',
    ...(holding && holding.balance !== '0' && { acquiredAt: holding.acquiredAt }),
  };
  if (reg) {
    const record = await readPrivateJson<InvestorRecord>(ctx, investorCollection(asset.issuer, reg.certifier), ObjectTypes.INVESTOR, reg.investor);
    if (record) party.investor = investorFacts(record);
    const attestation = await attestationFacts(ctx, reg.attestationId, at);
    if (attestation) party.attestation = attestation;
  }
  return { party, ...(holding && { holding }), ...(reg && { investor: { certifier: reg.certifier, id: reg.investor } }) };
}

/**
 * Gathers the facts of a transfer at transaction time `at`. Runs only where the issuer's private
 * collections are readable (the issuer's own peer).
 */
export async function gatherTransferFacts(ctx: Context, asset: Asset, transfer: TransferInput, at: string): Promise<TransferFacts> {
  const to = await partyFacts(ctx, asset, normaliseAccount(transfer.to, 'to'), at);
  const from = transfer.from ? await partyFacts(ctx, asset, normaliseAccount(transfer.from, 'from'), at) : undefined;
  const banking = await ruleSetAt(ctx, 'banking', 'consortium', at);
  const securities = await ruleSetAt(ctx, 'securities', asset.id, at);
  return {
    input: {
      at,
      asset: { id: asset.id, frozen: asset.frozen },
      amount: transfer.amount,
      from: from?.party ?? null,
      to: to.party,
      holders: await readHolders(ctx, asset),
    },
    rules: { ...(banking && { banking: banking.ruleSet }), ...(securities && { securities: securities.ruleSet }) },
    parties: { ...(from?.investor && { from: from.investor }), ...(to.investor && { to: to.investor }) },
    holdings: { ...(from?.holding && { from: from.holding }), ...(to.holding && { to: to.holding }) },
  };
}
