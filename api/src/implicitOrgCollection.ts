/**
 * Fabric's implicit private data collection of one org: it exists on every channel without being
 * defined, only that org's peers hold its data, and a write to it is valid only when endorsed as the
 * channel's `/Channel/Application/<Org>/Endorsement` policy says — here `OR('<MSP>.peer')`
 * (network/src/channelConfig.ts). See Fabric's core/chaincode/lifecycle/deployedcc_infoprovider.go
 * (GenerateImplicitCollectionForOrg, ImplicitCollectionEndorsementPolicyAsBytes).
 */
export function implicitOrgCollection(mspId: string): string {
  return `_implicit_org_${mspId}`;
}
