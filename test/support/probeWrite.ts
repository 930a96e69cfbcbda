import { peer as peerProtos } from '@hyperledger/fabric-protos';
import { connectGateway, type Network } from '@kyc-ledger/network';

/** How a probe write ended: committed valid, committed invalid with a validation code, or refused before the commit. */
export type ProbeOutcome =
  | { committed: true }
  | { committed: false; validationCode: number }
  | { committed: false; error: Error };

/** bank1's admin writes a probe value endorsed by exactly `orgs`' peers, through bank1's gateway. */
export async function probeWrite(network: Network, key: string, orgs: readonly string[]): Promise<ProbeOutcome> {
  const bank1 = network.config.orgs.find((o) => o.name === 'bank1');
  if (!bank1) throw new Error('no bank1');
  const connection = connectGateway(network.config, network.layout, bank1, 'admin');
  try {
    const proposal = connection.contract.newProposal('probe:put', { arguments: [key, 'v'], endorsingOrganizations: [...orgs] });
    const status = await (await (await proposal.endorse()).submit()).getStatus();
    return status.successful ? { committed: true } : { committed: false, validationCode: status.code };
  } catch (error) {
    return { committed: false, error: error as Error };
  } finally {
    connection.close();
  }
}

/** A probe outcome in words, for assertion messages. */
export function describeProbe(outcome: ProbeOutcome): string {
  if (outcome.committed) return 'committed valid';
  if ('validationCode' in outcome) return `committed invalid: ${Object.entries(peerProtos.TxValidationCode).find(([, code]) => code === outcome.validationCode)?.[0] ?? outcome.validationCode}`;
  const details = (outcome.error as { details?: unknown }).details;
  return `refused: ${outcome.error.message}${details === undefined ? '' : ` ${JSON.stringify(details)}`}`;
}

/**
 * Whether a write naming `mspId` among its endorsers was refused because that org is not on the
 * channel: the gateway finds no endorsing peer of it (its discovery no longer lists the org), or,
 * while discovery still lists the removed peer, the committing peers reject the transaction since
 * its endorsement does not count towards the policy. Anything else (a gateway down, a timeout, a
 * chaincode error) is not that refusal.
 */
export function refusedAsNonMember(outcome: ProbeOutcome, mspId: string): boolean {
  if (outcome.committed) return false;
  if ('validationCode' in outcome) return outcome.validationCode === peerProtos.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
  return new RegExp(`failed to find any endorsing peers for org\\(s\\): (.*, )?${mspId}\\b`).test(outcome.error.message);
}
