import path from 'node:path';

/**
 * Where an org made with `kyc-network org init` keeps its own material: cryptogen's layout for
 * one peer org under <dir>/crypto, plus the definition it hands to the consortium.
 */
export interface OrgDirectory {
  root: string;
  definitionFile: string;
  configDir: string;
  cryptoDir: string;
  orgMsp: string;
  tlsCa: string;
  adminMsp: string;
  peerDir(peerName: string): string;
}

export function orgDirectory(root: string, domain: string): OrgDirectory {
  const base = path.join(root, 'crypto', 'peerOrganizations', domain);
  return {
    root,
    definitionFile: path.join(root, 'definition.json'),
    configDir: path.join(root, 'config'),
    cryptoDir: path.join(root, 'crypto'),
    orgMsp: path.join(base, 'msp'),
    tlsCa: path.join(base, 'tlsca', `tlsca.${domain}-cert.pem`),
    adminMsp: path.join(base, 'users', `Admin@${domain}`, 'msp'),
    peerDir: (peerName) => path.join(base, 'peers', `${peerName}.${domain}`),
  };
}
