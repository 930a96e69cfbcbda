import { ObjectTypes, splitCompositeKey, type Accreditation, type Attestation, type Member } from '@kyc-ledger/api';
import { evaluateStatus, type AttestationStatus } from '@kyc-ledger/rules';
import type { CommittedBlock } from '@kyc-ledger/follower';
import { GatewayError, GatewayErrorCodes } from './gatewayError';
import { deepFreeze } from './deepFreeze';

const ATTESTATION = ObjectTypes.ATTESTATION;
const ACCREDITATION = ObjectTypes.ACCREDITATION;
const MEMBER = ObjectTypes.MEMBER;
const ID = /^[0-9a-f]{64}$/;

/** The object type and single attribute of a composite key, or undefined for any other key. */
function splitKey(key: string): { type: string; attribute: string } | undefined {
  const split = splitCompositeKey(key);
  // Every type the replica keeps is keyed by exactly one attribute.
  if (split?.attributes.length !== 1) return undefined;
  return { type: split.objectType, attribute: split.attributes[0] as string };
}

const decoder = new TextDecoder('utf-8', { fatal: true });
/** Parsed attestations kept at most (about 3 KB of heap each). */
const PARSED_LIMIT = 10_000;

/**
 * The part of the chaincode's world state that verification reads: attestations, accreditations
 * and members, built by applying committed blocks in order. Receipts, proposals and indexes are
 * never kept. Attestations are kept as their canonical JSON text (what the chaincode wrote): a
 * string costs about its length, a parsed object several times that. The most recently read ones
 * are also kept parsed (a verification reads one per request, and parsing was a measurable part
 * of each), bounded in number and dropped when a block writes them. Parsed attestations and
 * accreditations are deeply frozen, so the objects shared between answers cannot be changed by a
 * caller for the next one.
 */
export class LedgerReplica {
  #height = 0n;
  readonly #attestations = new Map<string, string>();
  readonly #parsed = new Map<string, Attestation>();
  readonly #accreditations = new Map<string, Accreditation>();
  readonly #members = new Map<string, Member>();

  /** Number of blocks applied (the next block expected is this number). */
  get height(): bigint {
    return this.#height;
  }

  get counts(): { attestations: number; accreditations: number; members: number } {
    return { attestations: this.#attestations.size, accreditations: this.#accreditations.size, members: this.#members.size };
  }

  /**
   * Applies one block's writes. A block already applied (a restarted stream repeats from the
   * height) is ignored and false returned; a gap throws, since a skipped block could hold a
   * revocation. The block is decoded completely before anything changes, so a bad value leaves the
   * replica at the previous height.
   */
  apply(block: CommittedBlock): boolean {
    if (block.number < this.#height) return false;
    if (block.number > this.#height) throw new Error(`block ${block.number} arrived while block ${this.#height} was expected`);
    const changes: (() => void)[] = [];
    for (const { key, value } of block.writes) {
      const parts = splitKey(key);
      if (!parts) continue;
      const { type, attribute } = parts;
      if (type === ATTESTATION) {
        const text = value === undefined ? undefined : decoder.decode(value);
        changes.push(() => {
          this.#parsed.delete(attribute);
          return text === undefined ? this.#attestations.delete(attribute) : this.#attestations.set(attribute, text);
        });
      } else if (type === ACCREDITATION) {
        const acc = value === undefined ? undefined : deepFreeze(JSON.parse(decoder.decode(value)) as Accreditation);
        changes.push(() => (acc === undefined ? this.#accreditations.delete(attribute) : this.#accreditations.set(attribute, acc)));
      } else if (type === MEMBER) {
        const member = value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as Member);
        changes.push(() => (member === undefined ? this.#members.delete(attribute) : this.#members.set(attribute, member)));
      }
    }
    for (const change of changes) change();
    this.#height = block.number + 1n;
    return true;
  }

  /**
   * What `attestation:status` answers at this height, with the chaincode's own `evaluateStatus`;
   * for an unknown or malformed id the same coded error the chaincode throws.
   */
  status(attestationId: string, at: string): AttestationStatus {
    if (!ID.test(attestationId)) {
      throw new GatewayError(GatewayErrorCodes.INVALID_ARGUMENT, 'invalid attestation id', { details: { problems: ['id: must be 64 lower-case hex digits'] } });
    }
    const attestation = this.#attestation(attestationId);
    return evaluateStatus(attestation, this.#accreditations.get(attestation.certifier), at);
  }

  /** The attestation, parsed and frozen; throws the chaincode's NOT_FOUND for an unknown id. */
  #attestation(id: string): Attestation {
    const known = this.#parsed.get(id);
    if (known) return known;
    const text = this.#attestations.get(id);
    if (text === undefined) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no attestation ${id}`, { details: { id } });
    const attestation = deepFreeze(JSON.parse(text) as Attestation);
    if (this.#parsed.size >= PARSED_LIMIT) this.#parsed.delete(this.#parsed.keys().next().value as string);
    this.#parsed.set(id, attestation);
    return attestation;
  }

  member(mspId: string): Member | undefined {
    return this.#members.get(mspId);
  }
}
