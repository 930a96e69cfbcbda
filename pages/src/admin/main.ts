import type { ApiClient } from '../shared/apiClient';
import { apiKeyPanel } from '../shared/apiKeyPanel';
import { announce, byId, h, replaceChildren } from '../shared/dom';
import type { Accreditation, Member } from './adminTypes';
import { accreditationsCard, membersCard } from './membershipViews';
import { networkCard } from './networkCard';
import { privateChainsCard } from './privateChainsCard';
import { proposalsCard } from './proposalsCard';

const main = byId('main');
const status = byId('status');
const account = byId('account');

/** Reads the registry and draws every card; each card loads and fails on its own. */
async function render(client: ApiClient): Promise<void> {
  announce(status, 'Loading the consortium…');
  try {
    const [{ members }, { accreditations }] = await Promise.all([
      client.get<{ members: Member[] }>('/v1/governance/members'),
      client.get<{ accreditations: Accreditation[] }>('/v1/governance/accreditations'),
    ]);
    const activeMembers = members.filter((m) => m.status === 'active').length;
    replaceChildren(
      main,
      proposalsCard({ client, status, activeMembers, reloadAll: () => void render(client) }),
      membersCard(members),
      accreditationsCard(accreditations),
      networkCard(client),
      privateChainsCard(client),
    );
    announce(status, `${members.length} members, ${accreditations.length} accreditations loaded.`, 'ok');
  } catch (error) {
    replaceChildren(main, h('section', { class: 'card' }, h('h2', {}, 'Could not load the console'), h('p', {}, (error as Error).message)));
    announce(status, `The console could not load: ${(error as Error).message}`, 'error');
  }
}

apiKeyPanel(main, 'to see the consortium (an admin key can also approve proposals)', (client, signOut) => {
  replaceChildren(
    account,
    h('button', { type: 'button', class: 'secondary', onclick: () => void render(client) }, 'Refresh'),
    h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'),
  );
  void render(client);
});
