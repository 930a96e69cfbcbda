export { upgradeChaincode, rollbackChaincode, approveChaincode, chaincodeStatus } from './chaincodeUpgrade';
export type { PackageChoice, UpgradeResult, ApprovalResult, ChaincodeStatus } from './chaincodeUpgrade';
export type { HistoryEntry } from './chaincodeHistory';
export type { LifecycleContext } from './lifecycleSteps';
