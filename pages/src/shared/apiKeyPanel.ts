import { createApiClient, type ApiClient } from './apiClient';
import { h, replaceChildren } from './dom';

/**
 * One key per page: the pages share an origin (the gateway's), so a key kept under one name would
 * be handed from the counter to the admin console and readable by every page's script.
 */
function storageKey(): string {
  return `kyc-ledger.apiKey:${location.pathname}`;
}

/**
 * The sign-in of the staff pages: asks for the gateway API key once per browser tab (kept in
 * sessionStorage, so it goes when the tab closes) and hands a client that sends it to `onReady`.
 * "Sign out" forgets it. The key is checked by the first call the page makes, not here.
 */
export function apiKeyPanel(container: HTMLElement, purpose: string, onReady: (client: ApiClient, signOut: () => void) => void): void {
  const signOut = () => {
    sessionStorage.removeItem(storageKey());
    location.reload();
  };
  const stored = sessionStorage.getItem(storageKey());
  if (stored) {
    onReady(createApiClient({ apiKey: stored }), signOut);
    return;
  }
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, `Enter your API key for this gateway ${purpose}.`),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    sessionStorage.setItem(storageKey(), key);
    replaceChildren(container);
    onReady(createApiClient({ apiKey: key }), signOut);
  });
  replaceChildren(container, form);
  input.focus();
}
