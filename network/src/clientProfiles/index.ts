export { connectionProfile } from './connectionProfile';
export type { ClientIdentity, ConnectionProfile, NodeEndpoint } from './connectionProfile';
export { commonConnectionProfile } from './commonConnectionProfile';
export { caliperNetworkConfig } from './caliperNetworkConfig';
export { writeCaliperFiles } from './writeCaliperFiles';
export type { CaliperFiles } from './writeCaliperFiles';
export { registerConnectionProfileCommand } from './connectionProfileCommand';
