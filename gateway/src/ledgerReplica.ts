import type { Accreditation, AttestationStatus, Member } from '@kyc-ledger/chaincode/dist/index';
import type { Attestation } from '@kyc-ledger/chaincode/dist/attestationModel';
import { evaluateStatus } from '@kyc-ledger/chaincode/dist/attestationStatus';
import type { CommittedBlock } from './committedWrites';
import { GatewayError, GatewayErrorCodes } from './gatewayError';

// The chaincode's composite keys (chaincode/src/state.ts, fabric-shim's createCompositeKey):
// U+0000, the object type, then each attribute followed by U+0000.
const SEPARATOR = '\u0000';
const ATTESTATION = 'attestation';
const ACCREDITATION = 'accreditation';
const MEMBER = 'member';
const ID = /^[0-9a-f]{64}$/;

/** The object type and single attribute of a composite key, or undefined for any other key. */
function splitKey(key: string): { type: string; attribute: string } | undefined {
  if (!key.startsWith(SEPARATOR)) return undefined;
  const parts = key.split(SEPARATOR);
  // ['', type, attribute, '']: every type the replica keeps is keyed by exactly one attribute.
  if (parts.length !== 4 || parts[3] !== '') return undefined;
  return { type: parts[1] as string, attribute: parts[2] as string };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The part of the chaincode's world state that verification reads: attestations, accreditations
 * and members, built by applying committed blocks in order. Receipts, proposals and indexes are
 * never kept. Attestations are kept as their canonical JSON text (what the chaincode wrote) and
 * parsed per read: a string costs about its length, a parsed object several times that, and a
 * fresh object per read cannot be changed by a caller for the next one.
 */
export class LedgerReplica {
  #height = 0n;
  readonly #attestations = new Map<string, string>();
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
        changes.push(() => (text === undefined ? this.#attestations.delete(attribute) : this.#attestations.set(attribute, text)));
      } else if (type === ACCREDITATION) {
        const acc = value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as Accreditation);
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
    const text = this.#attestations.get(attestationId);
    if (text === undefined) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no attestation ${attestationId}`, { details: { id: attestationId } });
    const attestation = JSON.parse(text) as Attestation;
    // The accreditation is shared between reads; evaluateStatus only reads it, and a copy keeps a
    // caller's change from reaching the next verdict.
    const accreditation = this.#accreditations.get(attestation.certifier);
    return evaluateStatus(attestation, accreditation && structuredClone(accreditation), at);
  }

  member(mspId: string): Member | undefined {
    return this.#members.get(mspId);
  }
}
