import { NetworkError } from '../errors';
import type { ConfigGroupJson } from './channelConfigFetch';

/** One element a config update changes, by its config path. */
export interface ConfigChange {
  /** E.g. `/Channel/Application/Bank3MSP/values/MSP`. */
  path: string;
  kind: 'group' | 'value' | 'policy';
  /** `added`: not in the current config; `modified`: a new version of an existing element; `removed`: dropped by its parent's new version. */
  change: 'added' | 'modified' | 'removed';
}

/** The membership change an update makes, once it is known to make nothing else. */
export interface MembershipChange {
  added?: string;
  removed?: string;
}

type Element = { version?: string; mod_policy?: string };
const version = (e: Element | undefined) => Number(e?.version ?? 0);
const SECTIONS = [['groups', 'group'], ['values', 'value'], ['policies', 'policy']] as const;

/**
 * Every element of the write set the orderer would apply, as Fabric's configtx validator computes
 * its delta: an element is changed when the read set does not pin it at the same version. A group
 * at a new version replaces its member set, so what the current config has under it and the write
 * set omits is removed.
 */
export function configUpdateChanges(readSet: ConfigGroupJson | undefined, writeSet: ConfigGroupJson, current: ConfigGroupJson | undefined): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const walk = (read: ConfigGroupJson | undefined, write: ConfigGroupJson, now: ConfigGroupJson | undefined, at: string) => {
    const groupChanged = read === undefined || version(read) !== version(write);
    if (groupChanged) changes.push({ path: at, kind: 'group', change: now === undefined ? 'added' : 'modified' });
    for (const [section, kind] of SECTIONS) {
      const written = (write[section] ?? {}) as Record<string, Element>;
      const pinned = (read?.[section] ?? {}) as Record<string, Element>;
      const existing = (now?.[section] ?? {}) as Record<string, Element>;
      for (const name of Object.keys(written).sort()) {
        const child = `${at}/${section === 'groups' ? '' : `${section}/`}${name}`;
        if (section === 'groups') {
          walk(read?.groups?.[name], written[name] as ConfigGroupJson, now?.groups?.[name], child);
        } else if (pinned[name] === undefined || version(pinned[name]) !== version(written[name])) {
          changes.push({ path: child, kind, change: existing[name] === undefined ? 'added' : 'modified' });
        }
      }
      if (groupChanged && now !== undefined) {
        for (const name of Object.keys(existing).sort()) {
          if (!(name in written)) changes.push({ path: `${at}/${section === 'groups' ? '' : `${section}/`}${name}`, kind, change: 'removed' });
        }
      }
    }
  };
  walk(readSet, writeSet, current, '/Channel');
  return changes;
}

const APPLICATION = '/Channel/Application';

/**
 * Accepts only an update that adds or removes exactly one org group under /Channel/Application:
 * Application's own new version (same mod policy, no policy or value dropped), the new group and
 * everything under it, or the one group's absence. Anything else — another org's certificates or
 * policies, a channel policy, the endorsement policy — is CONFIG_UPDATE_INVALID, listing each
 * change the rule does not allow.
 */
export function assertMembershipOnly(changes: readonly ConfigChange[], writeSet: ConfigGroupJson, current: ConfigGroupJson): MembershipChange {
  const orgGroup = (c: ConfigChange) => c.kind === 'group' && c.path.startsWith(`${APPLICATION}/`) && !c.path.slice(APPLICATION.length + 1).includes('/');
  const added = changes.filter((c) => orgGroup(c) && c.change === 'added').map((c) => c.path);
  const removed = changes.filter((c) => orgGroup(c) && c.change === 'removed').map((c) => c.path);
  const target = added.length + removed.length === 1 ? (added[0] ?? removed[0]) : undefined;
  const problems = changes
    .filter((c) => !(c.path === APPLICATION && c.change === 'modified') && !(target !== undefined && (c.path === target || (added.length === 1 && c.path.startsWith(`${target}/`)))))
    .map((c) => `${c.change} ${c.kind} ${c.path}`);
  if (target === undefined) problems.unshift(`adds ${added.length} and removes ${removed.length} org groups under ${APPLICATION} (exactly one add or one remove is allowed)`);
  const app = writeSet.groups?.Application;
  const appNow = current.groups?.Application;
  if (app && appNow && changes.some((c) => c.path === APPLICATION) && (app.mod_policy ?? '') !== (appNow.mod_policy ?? '')) {
    problems.push(`changes the mod policy of ${APPLICATION} from ${appNow.mod_policy ?? '(none)'} to ${app.mod_policy ?? '(none)'}`);
  }
  if (problems.length > 0) {
    throw new NetworkError('CONFIG_UPDATE_INVALID', `the update does more than add or remove one member org: ${problems.join('; ')}`, { details: { problems, changes } });
  }
  const name = (target ?? '').slice(APPLICATION.length + 1);
  return added.length === 1 ? { added: name } : { removed: name };
}

/**
 * The orderer's read-set check, done before signing or sending: every element the update pins must
 * still be at that version in the current config, else CONFIG_STALE (recompute and re-sign). It
 * also makes the change list above trustworthy: it is computed against the config the update was.
 */
export function assertReadSetCurrent(readSet: ConfigGroupJson | undefined, current: ConfigGroupJson): void {
  const walk = (read: ConfigGroupJson, now: ConfigGroupJson | undefined, at: string) => {
    const check = (key: string, pinned: Element, existing: Element | undefined) => {
      if (existing === undefined || version(existing) !== version(pinned)) {
        throw new NetworkError('CONFIG_STALE', `the channel config changed since this update was computed (${key} is ${existing === undefined ? 'gone' : `at version ${version(existing)}`}, the update expects ${version(pinned)}): recompute the update and have it signed again`, {
          details: { key, expected: version(pinned), current: existing === undefined ? null : version(existing) },
        });
      }
    };
    check(at, read, now);
    for (const [name, group] of Object.entries(read.groups ?? {})) walk(group, now?.groups?.[name], `${at}/${name}`);
    for (const section of ['values', 'policies'] as const) {
      for (const [name, element] of Object.entries((read[section] ?? {}) as Record<string, Element>)) {
        check(`${at}/${section}/${name}`, element, (now?.[section] as Record<string, Element> | undefined)?.[name]);
      }
    }
  };
  if (readSet) walk(readSet, current, '/Channel');
}
