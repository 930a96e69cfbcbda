import { ChaincodeError, ErrorCodes } from './chaincodeError';

/**
 * Names of the private data collections. The chaincode reads and writes them and the network
 * tooling defines them in the chaincode definition; both derive the names here so they cannot
 * drift apart.
 *
 * Fabric v3.1.1 accepts a collection name only if it matches
 * `^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$` (core/chaincode/lifecycle/scc.go, collectionNameRegExp):
 * letters, digits, `-` and `_`, not starting with `_` (Fabric reserves that for its implicit
 * `_implicit_org_<MSP>` collections). MSP IDs may also hold `.`, so each MSP ID is encoded:
 * letters, digits and `-` stay, `.` becomes `_2e` and `_` becomes `_5f` (its hex code after `_`).
 * Because an encoded MSP ID only has `_` in front of a hex digit and never starts with `_`, the
 * two-underscore separator `__` cannot occur inside one, so distinct MSP IDs (and pairs of them)
 * always get distinct names.
 */

/** MSP IDs this module accepts; wider than the registry's own rule, so any Fabric-style ID works. */
const MSP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const SEPARATOR = '__';

function encodeMspId(mspId: string): string {
  if (!MSP_ID.test(mspId)) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `not an MSP ID: ${JSON.stringify(mspId)}`, { mspId });
  }
  return mspId.replace(/[._]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

/**
 * The collection holding an investor's personal attributes (jurisdiction, investor type,
 * accreditation expiry) that `certifierMspId` attested and `issuerMspId` needs for its rules;
 * only those two organisations are members. Example: `investor__Issuer1MSP__Certifier1MSP`.
 */
export function investorCollection(issuerMspId: string, certifierMspId: string): string {
  return ['investor', encodeMspId(issuerMspId), encodeMspId(certifierMspId)].join(SEPARATOR);
}

/**
 * The collection only `issuerMspId` is a member of: its holdings, holder counts and recorded
 * transfer decisions. Example: `issuer__Issuer1MSP`.
 */
export function issuerCollection(issuerMspId: string): string {
  return ['issuer', encodeMspId(issuerMspId)].join(SEPARATOR);
}

/**
 * True for the collections `issuerMspId` is a member of and its transfer checks read: its own
 * collection and the investor collections it shares with any certifier.
 */
export function isIssuerCollection(issuerMspId: string, collection: string): boolean {
  return collection === issuerCollection(issuerMspId) || collection.startsWith(`investor${SEPARATOR}${encodeMspId(issuerMspId)}${SEPARATOR}`);
}
