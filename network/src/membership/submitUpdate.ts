import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { NetworkError } from '../errors';
import { run } from '../exec';
import { binaryPath, type FabricInstall } from '../fabricBinaries';
import type { ActingOrg } from './actingOrg';
import { applicationAdminsRequirement, orgRootCerts, type SignatureRequirement } from './adminPolicy';
import { fetchChannelConfig } from './channelConfigFetch';
import { parseConfigSignature, verifyConfigSignature } from './configSignature';
import { decodeUpdate, summarizeUpdate, type UpdateSummary } from './updateSummary';

export interface SignatureFile {
  source: string;
  bytes: Uint8Array;
}

export interface SubmitOptions {
  /** Broadcast even when the counted signatures do not meet the policy (the orderer decides). */
  force?: boolean;
  /** Accept an update that does more than add or remove one member org (refused by default). */
  allowOtherChanges?: boolean;
}

export interface SubmitResult {
  channel: string;
  /** Config sequence the update was checked against. */
  baseSequence: number;
  requirement: SignatureRequirement;
  /** Distinct orgs whose admins signed, the submitter included (`peer channel update` adds its signature). */
  signedBy: string[];
  /** What the update changes (every element, by config path). */
  update: UpdateSummary;
}

/** Orderer answers to a config update, mapped to codes a person can act on. */
export function mapOrdererRefusal(error: unknown): NetworkError | undefined {
  const text = String((error as Error)?.message ?? error);
  const stale = /proposed update requires that key (.+?) be at version (\d+), but it is currently at version (\d+)/.exec(text);
  if (stale) {
    return new NetworkError('CONFIG_STALE', `the channel config changed since this update was computed (${stale[1]?.trim()} is at version ${stale[3]}, the update expects ${stale[2]}): recompute the update and have it signed again`, {
      cause: error, details: { key: stale[1]?.trim(), expected: Number(stale[2]), current: Number(stale[3]) },
    });
  }
  const policy = /policy for (.+?) not satisfied: (.+?)(?:\n|$)/.exec(text);
  if (policy) {
    return new NetworkError('NOT_ENOUGH_SIGNATURES', `the orderer refused the update: the policy of ${policy[1]?.trim()} is not satisfied (${policy[2]?.trim()})`, {
      cause: error, details: { source: 'orderer', element: policy[1]?.trim(), reason: policy[2]?.trim() },
    });
  }
  if (/error applying config update|error authorizing update|BAD_REQUEST|FORBIDDEN/.test(text)) {
    return new NetworkError('CONFIG_UPDATE_REFUSED', `the orderer refused the config update: ${text.split('\n').find((l) => /Error:/.test(l))?.trim() ?? text.slice(-400)}`, { cause: error });
  }
  return undefined;
}

/** The CONFIG_UPDATE envelope `peer channel update` reads; it signs the payload and adds its own ConfigSignature. */
export function configUpdateEnvelope(channel: string, update: Uint8Array, signatures: readonly common.ConfigSignature[]): Uint8Array {
  const configUpdateEnvelope = new common.ConfigUpdateEnvelope();
  configUpdateEnvelope.setConfigUpdate(update);
  configUpdateEnvelope.setSignaturesList([...signatures]);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG_UPDATE);
  channelHeader.setChannelId(channel);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configUpdateEnvelope.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}

/**
 * Submits a signed config update as `submitter`: first counts distinct, valid member-admin
 * signatures against the channel's admin policy (NOT_ENOUGH_SIGNATURES, naming who signed and
 * how many are needed, unless forced), then broadcasts it through `peer channel update`, which
 * adds the submitter's own signature. The orderer's refusals come back coded.
 */
export async function submitConfigUpdate(fabric: FabricInstall, submitter: ActingOrg, update: Uint8Array, files: readonly SignatureFile[], options: SubmitOptions = {}): Promise<SubmitResult> {
  const decoded = await decodeUpdate(fabric, update);
  if (decoded.channel_id !== submitter.channel) {
    throw new NetworkError('CONFIG_UPDATE_INVALID', `the update is for channel ${decoded.channel_id ?? '(none)'}, not ${submitter.channel}`);
  }
  const current = await fetchChannelConfig(fabric, submitter);
  const summary = summarizeUpdate(decoded, current.config, { allowOtherChanges: options.allowOtherChanges === true });
  const requirement = applicationAdminsRequirement(current.config);
  const signatures: common.ConfigSignature[] = [];
  const signed = new Set<string>([submitter.mspId]);
  for (const file of files) {
    const { signature, signer } = parseConfigSignature(file.bytes, file.source);
    if (!requirement.eligible.includes(signer.mspId)) {
      throw new NetworkError('SIGNATURE_INVALID', `${file.source} is signed by ${signer.mspId}, which is not a member of channel ${current.channel}`, { details: { source: file.source, mspId: signer.mspId } });
    }
    verifyConfigSignature(signature, signer, update, orgRootCerts(current.config, signer.mspId), file.source);
    signed.add(signer.mspId);
    signatures.push(signature);
  }
  const signedBy = [...signed].filter((m) => requirement.eligible.includes(m)).sort();
  const result: SubmitResult = { channel: current.channel, baseSequence: current.sequence, requirement, signedBy, update: summary };
  if (signedBy.length < requirement.needed && !options.force) {
    const missing = requirement.eligible.filter((m) => !signed.has(m));
    throw new NetworkError('NOT_ENOUGH_SIGNATURES', `${requirement.policy} (${requirement.rule}) needs ${requirement.needed} of ${requirement.eligible.length} member admins; signed by ${signedBy.length}: ${signedBy.join(', ')} (not yet: ${missing.join(', ')})`, {
      details: { ...result, missing },
    });
  }
  await broadcastConfigUpdate(fabric, submitter, update, signatures);
  return result;
}

/**
 * Broadcasts a config update with the given signatures as `submitter`, whose own signature
 * `peer channel update` adds; the orderer's refusals come back coded.
 */
export async function broadcastConfigUpdate(fabric: FabricInstall, submitter: ActingOrg, update: Uint8Array, signatures: readonly common.ConfigSignature[]): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kyc-submit-'));
  try {
    const file = path.join(dir, 'update.tx');
    await writeFile(file, configUpdateEnvelope(submitter.channel, update, signatures));
    await run(binaryPath(fabric, 'peer'), ['channel', 'update', '-f', file, '-c', submitter.channel, ...submitter.ordererFlags], { env: submitter.peerEnv, timeoutMs: 60_000 });
  } catch (error) {
    throw mapOrdererRefusal(error) ?? error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
