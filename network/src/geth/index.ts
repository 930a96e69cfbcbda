export { GETH, GETH_CACHE_KEY } from './gethVersion';
export { ensureGeth, gethCacheDir } from './gethBinary';
export type { GethInstall, GethInstallOptions } from './gethBinary';
export { createGethChain, chainPaths, gethArgs, CHAIN_APIS } from './gethChain';
export type { GethChain, ChainPaths } from './gethChain';
export { chainClient, blockHeight, fundFromDevAccount, reorg, DEV_ACCOUNT, DEV_CHAIN_ID } from './chainClient';
export type { FundResult, ReorgResult } from './chainClient';
