import { NetworkError } from '../errors';
import type { ConfigGroupJson, ConfigJson } from './channelConfigFetch';
import { memberMspIds } from './channelConfigFetch';

/** How many distinct member-org admins an update needs, and which orgs may provide them. */
export interface SignatureRequirement {
  /** The policy the orderer evaluates, e.g. /Channel/Application/Admins. */
  policy: string;
  rule: string;
  needed: number;
  eligible: string[];
}

interface ImplicitMeta {
  rule: 'ANY' | 'ALL' | 'MAJORITY';
  subPolicy: string;
}

const IMPLICIT_META = 3;

/** The rule of an ImplicitMeta policy in configtxlator's JSON (undefined for any other type). */
export function implicitMeta(group: ConfigGroupJson | undefined, name: string): ImplicitMeta | undefined {
  const policy = group?.policies?.[name]?.policy;
  if (policy?.type !== IMPLICIT_META) return undefined;
  const value = policy.value as { rule?: ImplicitMeta['rule']; sub_policy?: string };
  return { rule: value.rule ?? 'ANY', subPolicy: value.sub_policy ?? name };
}

/** How many of `count` sub-policies an ImplicitMeta rule needs (Fabric's own arithmetic). */
export function thresholdOf(rule: ImplicitMeta['rule'], count: number): number {
  if (rule === 'ANY') return 1;
  if (rule === 'ALL') return count;
  return Math.floor(count / 2) + 1;
}

/**
 * The admin signatures a membership update needs: one that adds or removes a member changes the
 * Application group itself, governed by /Channel/Application/Admins (MAJORITY of member admins).
 */
export function applicationAdminsRequirement(config: ConfigJson): SignatureRequirement {
  const app = config.channel_group.groups?.Application;
  const meta = implicitMeta(app, app?.mod_policy ?? 'Admins');
  if (!meta) throw new NetworkError('CONFIG_UPDATE_INVALID', '/Channel/Application/Admins is not an ImplicitMeta policy; cannot count the signatures it needs');
  const eligible = memberMspIds(config);
  return { policy: '/Channel/Application/Admins', rule: `${meta.rule} ${meta.subPolicy}`, needed: thresholdOf(meta.rule, eligible.length), eligible };
}

/** The orgs' root CA certificates (PEM) as the channel config holds them. */
export function orgRootCerts(config: ConfigJson, mspId: string): string[] {
  const mspValue = config.channel_group.groups?.Application?.groups?.[mspId]?.values?.MSP?.value as { config?: { root_certs?: string[] } } | undefined;
  return (mspValue?.config?.root_certs ?? []).map((b64) => Buffer.from(b64, 'base64').toString('utf8'));
}
