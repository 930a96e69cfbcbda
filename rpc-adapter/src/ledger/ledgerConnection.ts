import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Network } from '@hyperledger/fabric-gateway';
import type { RpcAdapterConfig } from '../rpcAdapterConfig';

/** The adapter's Fabric Gateway connection: the channel it follows. */
export interface LedgerConnection {
  network: Network;
  close(): void;
}

/** A file, or the one file of a folder (cryptogen's signcerts/ and keystore/ hold one each). */
function fileAt(p: string): string {
  if (!statSync(p).isDirectory()) return p;
  const name = readdirSync(p).sort()[0];
  if (!name) throw new Error(`no file in ${p}`);
  return path.join(p, name);
}

/** Connects to the configured peer as the configured org's client identity. */
export function connectLedger(ledger: NonNullable<RpcAdapterConfig['ledger']>): LedgerConnection {
  const client = new grpc.Client(ledger.peer.endpoint, grpc.credentials.createSsl(readFileSync(ledger.peer.tlsCaPath)), {
    ...(ledger.peer.hostNameOverride && { 'grpc.ssl_target_name_override': ledger.peer.hostNameOverride }),
  });
  const gateway = connect({
    client,
    identity: { mspId: ledger.mspId, credentials: readFileSync(fileAt(ledger.identity.certPath)) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(fileAt(ledger.identity.keyPath)))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 15_000 }),
  });
  return {
    network: gateway.getNetwork(ledger.channel),
    close() {
      gateway.close();
      client.close();
    },
  };
}
