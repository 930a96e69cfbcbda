import type { Context } from 'fabric-contract-api';
import { investorCollection, issuerCollection } from './collections';
import type { PartyFacts, Reason, TransferCheckInput, TransferVerdict } from './compliance';
import type { InvestorRef, TransferFacts } from './transferFacts';
import { purgePrivate, readPrivateJson, writePrivateJson } from './privateState';
import { ObjectTypes } from './state';

type PartyRole = 'from' | 'to';

/**
 * A party of a stored decision: its facts inline when no investor is registered for the address
 * (there is no person to erase), else a reference to the investor whose collection holds them.
 */
type StoredParty = { facts: PartyFacts } | { investor: InvestorRef };

/**
 * One registered party's share of a decision, in its investor's collection: its facts and the
 * details of the verdict's reasons about it (they quote its attributes), by reason index.
 */
interface PartyInput {
  facts: PartyFacts;
  reasonDetails: Record<string, NonNullable<Reason['details']>>;
}

/**
 * What the issuer's own collection keeps of a decision: no personal attribute, only the verdict
 * (codes, reasons without the details about a registered party, the inputs' and rule sets'
 * hashes), the non-personal inputs and where the parties' facts are.
 */
interface StoredDecision {
  id: string;
  asset: string;
  recordedAt: string;
  verdict: TransferVerdict;
  shared: Omit<TransferCheckInput, 'from' | 'to'>;
  from: StoredParty | null;
  to: StoredParty;
}

/** A decision recorded before inputs moved to the investor collections: everything in one value. */
type LegacyDecision = Required<Pick<Decision, 'id' | 'asset' | 'recordedAt' | 'verdict' | 'input'>>;

/** Per investor, in their collection: every decision input holding their attributes. */
export interface DecisionInputIndex {
  inputs: { asset: string; id: string; party: PartyRole }[];
}

/** A recorded decision as read back: its inputs, or which parties' inputs were erased. */
export interface Decision {
  id: string;
  asset: string;
  recordedAt: string;
  verdict: TransferVerdict;
  /** Absent when a party's inputs were erased; the verdict's inputsHash still names them. */
  input?: TransferCheckInput;
  /** The parties whose inputs were purged by an erasure of their investor record. */
  erased?: PartyRole[];
}

/**
 * Records a decision. The personal inputs of each registered party go to the collection that
 * party's investor record is in, which the issuer and the certifier are both members of, so either
 * can purge them on erasure; the issuer's own collection keeps the verdict and hashes. The
 * investor's index of decision inputs is one private key read and written here, so an erasure finds
 * every input by point reads (a writing transaction may not run private range queries). Two
 * decisions recorded at once for the same investor conflict on it, and one is retried by its client.
 */
export async function recordDecision(ctx: Context, issuer: string, id: string, recordedAt: string, facts: TransferFacts, verdict: TransferVerdict): Promise<void> {
  const asset = facts.input.asset.id;
  const { from, to, ...shared } = facts.input;
  const indexes = new Map<string, { collection: string; investor: string; inputs: DecisionInputIndex['inputs'] }>();
  const reasons = verdict.reasons.map((r) => ({ ...r }));
  const store = async (role: PartyRole, party: PartyFacts): Promise<StoredParty> => {
    const investor = facts.parties[role];
    if (!investor) return { facts: party };
    const collection = investorCollection(issuer, investor.certifier);
    const reasonDetails: PartyInput['reasonDetails'] = {};
    reasons.forEach((reason, i) => {
      if (reason.party !== role || reason.details === undefined) return;
      reasonDetails[String(i)] = reason.details;
      delete reason.details;
    });
    await writePrivateJson(ctx, collection, { facts: party, reasonDetails } satisfies PartyInput, ObjectTypes.DECISION_PARTY, asset, id, role);
    // Both parties may be one investor: a transaction does not read its own writes, so the index is
    // read once and written once with both entries.
    const slot = `${collection}\u0000${investor.id}`;
    let entry = indexes.get(slot);
    if (!entry) {
      const index = await readPrivateJson<DecisionInputIndex>(ctx, collection, ObjectTypes.INVESTOR_DECISIONS, investor.id);
      entry = { collection, investor: investor.id, inputs: [...(index?.inputs ?? [])] };
      indexes.set(slot, entry);
    }
    entry.inputs.push({ asset, id, party: role });
    return { investor };
  };
  const parties = { from: from ? await store('from', from) : null, to: await store('to', to) };
  const stored: StoredDecision = { id, asset, recordedAt, verdict: { ...verdict, reasons }, shared, ...parties };
  for (const entry of indexes.values()) {
    await writePrivateJson(ctx, entry.collection, { inputs: entry.inputs } satisfies DecisionInputIndex, ObjectTypes.INVESTOR_DECISIONS, entry.investor);
  }
  await writePrivateJson(ctx, issuerCollection(issuer), stored, ObjectTypes.DECISION, asset, id);
}

/** A recorded decision with its inputs put back together; undefined when none was recorded. */
export async function readDecision(ctx: Context, issuer: string, asset: string, id: string): Promise<Decision | undefined> {
  const stored = await readPrivateJson<StoredDecision | LegacyDecision>(ctx, issuerCollection(issuer), ObjectTypes.DECISION, asset, id);
  if (!stored) return undefined;
  if ('input' in stored) return stored;
  const erased: PartyRole[] = [];
  const reasons: Reason[] = stored.verdict.reasons.map((r) => ({ ...r }));
  const load = async (role: PartyRole, party: StoredParty): Promise<PartyFacts | undefined> => {
    if ('facts' in party) return party.facts;
    const share = await readPrivateJson<PartyInput>(ctx, investorCollection(issuer, party.investor.certifier), ObjectTypes.DECISION_PARTY, asset, id, role);
    if (!share) {
      erased.push(role);
      return undefined;
    }
    for (const [i, details] of Object.entries(share.reasonDetails)) {
      const reason = reasons[Number(i)];
      if (reason) reason.details = details;
    }
    return share.facts;
  };
  const from = stored.from ? await load('from', stored.from) : null;
  const to = await load('to', stored.to);
  // Reasons keep the order and keys the engine gave them, so a replay compares equal.
  const base = { id: stored.id, asset: stored.asset, recordedAt: stored.recordedAt, verdict: { ...stored.verdict, reasons } };
  if (erased.length > 0 || !to || from === undefined) return { ...base, erased };
  return { ...base, input: { ...stored.shared, from, to } };
}

/**
 * Purges every decision input of one investor listed in their index, and the index itself.
 * Point reads only, so it may run in the erasing (writing) transaction. Returns how many inputs.
 */
export async function purgeDecisionInputs(ctx: Context, collection: string, investor: string, index: DecisionInputIndex): Promise<number> {
  for (const input of index.inputs) await purgePrivate(ctx, collection, ObjectTypes.DECISION_PARTY, input.asset, input.id, input.party);
  await purgePrivate(ctx, collection, ObjectTypes.INVESTOR_DECISIONS, investor);
  return index.inputs.length;
}
