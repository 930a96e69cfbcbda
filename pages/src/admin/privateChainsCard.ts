import type { ApiClient } from '../shared/apiClient';
import { dataTable } from '../shared/dataTable';
import { h, replaceChildren } from '../shared/dom';
import type { PrivateChains } from './adminTypes';
import { lagText, privateChainsNotice } from './privateChainsText';
import { shortDate } from './shortDate';

/** The org's private chains linked through its RPC adapter and their sync status (GET /v1/network/private-chains). */
export function privateChainsCard(client: ApiClient): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Asking the RPC adapter…'));
  const card = h('section', { class: 'card', 'aria-labelledby': 'chains-title', id: 'private-chains' }, h('h2', { id: 'chains-title' }, 'Linked private chains'), body);
  void (async () => {
    try {
      const answer = await client.get<PrivateChains>('/v1/network/private-chains');
      const notice = privateChainsNotice(answer);
      replaceChildren(
        body,
        notice ? h('p', notice.kind === 'error' ? { 'data-kind': 'error', id: 'chains-notice' } : { class: 'muted', id: 'chains-notice' }, notice.text) : [],
        answer.links.length === 0
          ? []
          : dataTable(
              `Private chains linked to assets of ${answer.org}`,
              ['Link', 'Asset', 'Chain id', 'Contract', 'Applied / ledger head', 'Lag', 'Last error'],
              answer.links.map((link) => {
                const lag = lagText(link);
                return [
                  h('span', { class: 'mono' }, link.linkId),
                  link.asset,
                  String(link.chainId),
                  h('span', { class: 'mono' }, link.contract),
                  `${link.appliedSeq} / ${link.ledgerHead}`,
                  h('span', { class: `badge ${lag.kind}`, 'data-lag': String(link.lag) }, lag.text),
                  link.lastError ?? '—',
                ];
              }),
              '',
            ),
        h('p', { class: 'muted' }, `Read at ${shortDate(answer.checkedAt)} (the gateway reuses an answer for 5 s).`),
      );
    } catch (error) {
      replaceChildren(body, h('p', { 'data-kind': 'error' }, `The linked private chains could not be read: ${(error as Error).message}`));
    }
  })();
  return card;
}
