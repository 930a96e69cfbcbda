import type { ApiClient } from '../shared/apiClient';
import { dataTable } from '../shared/dataTable';
import { h, replaceChildren } from '../shared/dom';
import type { NetworkStatus } from './adminTypes';
import { shortDate } from './shortDate';

function chaincodeText(status: NetworkStatus): string {
  const { definition, build } = status.chaincode;
  const parts = [definition ? `definition version ${definition.version}, sequence ${definition.sequence}` : 'definition unknown'];
  if (build) parts.push(`package ${build.label ?? '(not packaged)'}, build ${build.version}`);
  return parts.join('; ');
}

/** Each node's health and block height, and the chaincode version (GET /v1/network/status). */
export function networkCard(client: ApiClient): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Probing the nodes…'));
  const card = h('section', { class: 'card', 'aria-labelledby': 'network-title', id: 'network' }, h('h2', { id: 'network-title' }, 'Nodes and chaincode'), body);
  void (async () => {
    try {
      const status = await client.get<NetworkStatus>('/v1/network/status');
      const problems = [...(status.peer.error ? [status.peer.error] : []), ...(status.chaincode.errors ?? [])];
      replaceChildren(
        body,
        h(
          'dl',
          {},
          h('dt', {}, 'Channel'), h('dd', { class: 'mono' }, status.channel),
          h('dt', {}, 'Chaincode'), h('dd', { id: 'chaincode-version' }, `${status.chaincode.name}: ${chaincodeText(status)}`),
          h('dt', {}, 'This gateway\'s peer'), h('dd', {}, status.peer.height === null ? 'height unknown' : `height ${status.peer.height}`),
          h('dt', {}, 'Checked'), h('dd', {}, shortDate(status.checkedAt)),
        ),
        problems.map((p) => h('p', { 'data-kind': 'error' }, `${p.code}: ${p.message}`)),
        h('h3', {}, 'Nodes'),
        dataTable(
          'Nodes of the network',
          ['Node', 'Kind', 'Organisation', 'Health', 'Block height'],
          status.nodes.map((n) => [
            h('span', { class: 'mono' }, n.name),
            n.kind,
            n.org,
            n.health === 'ok' ? h('span', { class: 'badge ok' }, 'healthy') : h('span', {}, h('span', { class: 'badge bad' }, 'down'), ' ', n.reason ?? ''),
            n.height === null ? '—' : String(n.height),
          ]),
          'This gateway has no nodes configured to probe (gateway configuration "nodes").',
        ),
      );
    } catch (error) {
      replaceChildren(body, h('p', { 'data-kind': 'error' }, `The network status could not be read: ${(error as Error).message}`));
    }
  })();
  return card;
}
