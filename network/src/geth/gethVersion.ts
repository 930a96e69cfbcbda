/**
 * The one place that records which geth this project builds and runs as an institution's
 * private EVM chain. `go install <package>@<version>` works for go-ethereum through our module
 * proxy (unlike Fabric, whose module version list the proxy refuses).
 */
export const GETH = {
  module: 'github.com/ethereum/go-ethereum',
  version: 'v1.17.10',
  /** The command package that is built. */
  package: 'github.com/ethereum/go-ethereum/cmd/geth',
} as const;

/** Cache key: a different version gets a different directory. */
export const GETH_CACHE_KEY = GETH.version.replace(/^v/, '');
