/**
 * Which chaincode build answers a call (`probe:version`): the Fabric package it runs and the
 * version in its package.json. Upgrades are told apart by `packageId`; the same source packaged
 * under another label is another package.
 */
export interface ChaincodeVersion {
  /** `<label>:<sha256 of the package>` as the peer installed it; null when not run from a package (unit tests). */
  packageId: string | null;
  /** The label part of `packageId`; null when not run from a package. */
  label: string | null;
  /** `version` of the chaincode's package.json. */
  version: string;
}
