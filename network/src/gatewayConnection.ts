import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';
import { hostPort } from './hosts/hostAddress';

/** A Fabric Gateway connection as one of an org's identities, through the org's first peer. */
export interface GatewayConnection {
  gateway: Gateway;
  contract: Contract;
  close(): void;
}

function onlyFile(dir: string): string {
  const name = readdirSync(dir)[0];
  if (!name) throw new Error(`no file in ${dir}`);
  return path.join(dir, name);
}

/** Connects as the org's client user (`user`) or admin with the cryptogen material of the network. */
export function connectGateway(net: ResolvedNetwork, layout: NetworkLayout, org: ResolvedOrg, identity: 'user' | 'admin' = 'user'): GatewayConnection {
  const peer = org.peers[0];
  if (!peer) throw new Error(`org ${org.name} has no peers`);
  const creds = identity === 'user' ? layout.orgUser(org) : layout.orgAdmin(org);
  const client = new grpc.Client(hostPort(peer.host, peer.port), grpc.credentials.createSsl(readFileSync(layout.peer(org, peer).tlsCa)), {
    'grpc.ssl_target_name_override': peer.hostname,
  });
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: readFileSync(onlyFile(path.join(creds.msp, 'signcerts'))) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(onlyFile(path.join(creds.msp, 'keystore'))))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 15_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 15_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const contract = gateway.getNetwork(net.channel.name).getContract(net.chaincode.name);
  return {
    gateway,
    contract,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
