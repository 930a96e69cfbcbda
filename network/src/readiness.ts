import { NetworkError } from './errors';
import { connectGateway } from './gatewayConnection';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork } from './networkConfig';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every member org's gateway peer can endorse a write: service discovery must know
 * enough peers with the chaincode to satisfy the endorsement policy. Right after start-up gossip
 * has not spread that yet, and a submit would fail with "no combination of peers". Endorsing (not
 * submitting) a read-only function proves it without writing anything, and launches the chaincode
 * on the endorsing peers on the way.
 */
export async function waitUntilEndorsable(net: ResolvedNetwork, layout: NetworkLayout, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const org of net.orgs.filter((o) => net.channel.members.includes(o.name))) {
    const connection = connectGateway(net, layout, org);
    try {
      for (;;) {
        try {
          await connection.contract.newProposal(net.chaincode.readyFunction).endorse();
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new NetworkError('NODE_UNHEALTHY', `${org.name} cannot get ${net.chaincode.readyFunction} endorsed: ${(error as Error).message}`, { cause: error });
          }
          await sleep(500);
        }
      }
    } finally {
      connection.close();
    }
  }
}
