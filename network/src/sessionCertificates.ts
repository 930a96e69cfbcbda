import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { connectGateway } from './gatewayConnection';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';

function filesIn(dir: string): string[] {
  return readdirSync(dir).sort().map((name) => path.join(dir, name));
}

/**
 * The chain a bank gateway signs sessions with: its client user's certificate (the identity the
 * gateway transacts and signs with) followed by the org's CA certificate.
 */
export function sessionCertificateChain(layout: NetworkLayout, org: ResolvedOrg): string {
  const msp = layout.orgUser(org).msp;
  const signer = filesIn(path.join(msp, 'signcerts'))[0];
  if (!signer) throw new Error(`no certificate in ${msp}/signcerts`);
  return [signer, ...filesIn(path.join(msp, 'cacerts'))].map((file) => readFileSync(file, 'utf8')).join('');
}

/**
 * Publishes each bank's session-signing certificate on the member registry, as that bank's own
 * admin (the chaincode accepts it from no one else), unless the registry already holds the same
 * certificate. Returns the MSP IDs published now.
 */
export async function ensureSessionCertificates(net: ResolvedNetwork, layout: NetworkLayout): Promise<string[]> {
  const published: string[] = [];
  // Only a bank whose admin key is in this data directory: one on another host publishes its own.
  for (const org of net.orgs.filter((o) => net.channel.members.includes(o.name) && o.role === 'bank' && existsSync(layout.orgAdmin(o).msp))) {
    const chain = sessionCertificateChain(layout, org);
    const fingerprint = new X509Certificate(chain).fingerprint256;
    const connection = connectGateway(net, layout, org, 'admin');
    try {
      let current: string | undefined;
      try {
        const record = JSON.parse(Buffer.from(await connection.contract.evaluateTransaction('registry:getSessionCertificate', org.mspId)).toString('utf8')) as { fingerprint256?: string };
        current = record.fingerprint256;
      } catch {
        // NOT_FOUND: nothing published yet.
      }
      if (current === fingerprint) continue;
      await connection.contract.submitTransaction('registry:setSessionCertificate', JSON.stringify({ certificate: chain }));
      published.push(org.mspId);
    } finally {
      connection.close();
    }
  }
  return published;
}
