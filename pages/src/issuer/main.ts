import type { ApiClient } from '../shared/apiClient';
import { apiKeyPanel } from '../shared/apiKeyPanel';
import { announce, byId, h, replaceChildren } from '../shared/dom';
import { registrationsCard, ruleSetsCard } from './assetCards';
import type { Asset, Registration, StoredRuleSet } from './issuerTypes';
import { transferCheckCard } from './transferCheckCard';

const main = byId('main');
const status = byId('status');
const account = byId('account');

/** Loads one asset: its rule sets, registrations and officers, and the transfer-check form. */
async function loadAsset(client: ApiClient, asset: string, into: HTMLElement): Promise<void> {
  announce(status, `Loading ${asset}…`);
  const path = `/v1/assets/${encodeURIComponent(asset)}`;
  try {
    const [details, ruleSets, registrations] = await Promise.all([
      client.get<Asset>(path),
      client.get<StoredRuleSet[]>(`${path}/rule-sets`),
      client.get<Registration[]>(`${path}/registrations`),
    ]);
    replaceChildren(into, ruleSetsCard(ruleSets, new Date()), registrationsCard(details, registrations), transferCheckCard(client, asset, status));
    announce(status, `${details.name}: ${ruleSets.length} rule sets, ${registrations.length} registrations.`, 'ok');
  } catch (error) {
    replaceChildren(into);
    announce(status, `${asset} could not be loaded: ${(error as Error).message}`, 'error');
  }
}

apiKeyPanel(main, 'as the issuer (the issuer role\'s key)', (client, signOut) => {
  replaceChildren(account, h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'));
  const input = h('input', { id: 'asset-id', name: 'asset', required: true, autocomplete: 'off', spellcheck: 'false' });
  const assetView = h('div', { class: 'asset-view' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'asset-title' },
    h('h2', { id: 'asset-title' }, 'Asset'),
    h('label', { for: 'asset-id' }, 'Asset id'),
    h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Load')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const asset = input.value.trim();
    if (asset) void loadAsset(client, asset, assetView);
  });
  replaceChildren(main, form, assetView);
  input.focus();
});
