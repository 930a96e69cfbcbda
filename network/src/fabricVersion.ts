/**
 * The one place that records which Fabric this project builds.
 *
 * DESIGN.md pins Fabric v3.1.5 (commit 86c1172bec37e6590c6b1ae6f847833df48d65fc). The Go module
 * proxy reachable from our machines refuses that commit (403 "This module version is not
 * available"), and likewise v3.1.2–v3.1.4 and main; of the 3.1.x line it serves v3.1.0 and
 * v3.1.1. We therefore build v3.1.1, the nearest 3.1.x commit the proxy serves. Fabric's module
 * path has no /v3 suffix, so the version is a pseudo-version based on the newest v1 tag that is
 * an ancestor of the commit (v1.4.0-rc1).
 */
export const FABRIC = {
  module: 'github.com/hyperledger/fabric',
  release: '3.1.1',
  commit: '435a7f1a780a128756fb2f72bf4cad164bf13fbb',
  moduleVersion: 'v1.4.0-rc1.0.20250510200036-435a7f1a780a',
  pinnedRelease: '3.1.5',
  pinnedCommit: '86c1172bec37e6590c6b1ae6f847833df48d65fc',
  /** The binaries the network needs, each a `cmd/<name>` package of the module. */
  binaries: ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin', 'cryptogen'] as const,
} as const;

export type FabricBinary = (typeof FABRIC.binaries)[number];

/** Cache key: a different release or commit gets a different directory. */
export const FABRIC_CACHE_KEY = `${FABRIC.release}-${FABRIC.commit.slice(0, 12)}`;
