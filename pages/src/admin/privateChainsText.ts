import type { LinkedChain, PrivateChains } from './adminTypes';

/** How far behind the ledger a link is, in words and as a badge kind. */
export function lagText(link: LinkedChain): { text: string; kind: 'ok' | 'warn' } {
  if (link.lag === 0) return { text: 'in step (0)', kind: 'ok' };
  return { text: `${link.lag} change${link.lag === 1 ? '' : 's'} behind`, kind: 'warn' };
}

/**
 * The sentence shown instead of (or above) the table: why there is nothing to list, or the
 * adapter's state. Undefined when the links are simply shown.
 */
export function privateChainsNotice(answer: PrivateChains): { text: string; kind: 'muted' | 'error' } | undefined {
  if (!answer.configured) {
    return { text: 'This gateway has no RPC adapter configured (gateway configuration "rpcAdapter"), so it cannot show linked private chains.', kind: 'muted' };
  }
  if (answer.reachable === false) {
    return { text: `The RPC adapter could not be read: ${answer.reason ?? 'no reason given'}.`, kind: 'error' };
  }
  if (answer.links.length === 0) {
    return { text: `No private chain is linked to an asset of ${answer.org}. (The adapter lists each organisation's own links only.)`, kind: 'muted' };
  }
  return undefined;
}
