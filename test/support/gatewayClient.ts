import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import type { Network, ResolvedOrg } from '@kyc-ledger/network';

/** A Fabric Gateway connection as one org's client user, through that org's first peer. */
export interface OrgClient {
  gateway: Gateway;
  contract: Contract;
  close(): void;
}

function firstFile(dir: string): string {
  const name = readdirSync(dir)[0];
  if (!name) throw new Error(`no file in ${dir}`);
  return path.join(dir, name);
}

export function connectAs(network: Network, orgName: string, identity: 'user' | 'admin' = 'user'): OrgClient {
  const org = network.config.orgs.find((o: ResolvedOrg) => o.name === orgName);
  const peer = org?.peers[0];
  if (!org || !peer) throw new Error(`no org ${orgName}`);
  const creds = identity === 'user' ? network.layout.orgUser(org) : network.layout.orgAdmin(org);
  const tlsRoot = readFileSync(network.layout.peer(org, peer).tlsCa);
  const client = new grpc.Client(`${peer.host}:${peer.port}`, grpc.credentials.createSsl(tlsRoot), {
    'grpc.ssl_target_name_override': peer.hostname,
  });
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: readFileSync(firstFile(path.join(creds.msp, 'signcerts'))) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(firstFile(path.join(creds.msp, 'keystore'))))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 15_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 15_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const contract = gateway.getNetwork(network.config.channel.name).getContract(network.config.chaincode.name);
  return {
    gateway,
    contract,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
