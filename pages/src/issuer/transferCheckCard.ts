import type { ApiClient } from '../shared/apiClient';
import { dataTable } from '../shared/dataTable';
import { announce, h, replaceChildren } from '../shared/dom';
import { REASON_LANGUAGES } from './issuerLogic';
import type { LocalisedVerdict } from './issuerTypes';

/**
 * The transfer-check form (ERC-1404 detectTransferRestriction, nothing recorded): from, to,
 * amount and the language of the reasons; shows the verdict with EVERY failing reason.
 */
export function transferCheckCard(client: ApiClient, asset: string, status: HTMLElement): HTMLElement {
  const field = (id: string, label: string, attributes: Record<string, string | boolean>) => [h('label', { for: id }, label), h('input', { id, name: id, autocomplete: 'off', spellcheck: 'false', ...attributes })];
  const language = h('select', { id: 'check-language', name: 'language' }, REASON_LANGUAGES.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
  const result = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'check-form' },
    field('check-from', 'From (account id; empty for an issuance)', { placeholder: 'eip155:1:0x…' }),
    field('check-to', 'To (account id)', { required: true, placeholder: 'eip155:1:0x…' }),
    field('check-amount', 'Amount', { required: true, inputmode: 'numeric', pattern: '[0-9]+' }),
    h('label', { for: 'check-language' }, 'Language of the reasons'),
    language,
    h('button', { type: 'submit' }, 'Check transfer'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (id: string) => (form.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '').trim();
    const from = value('check-from');
    const locale = language.value;
    const body = { ...(from ? { from } : {}), to: value('check-to'), amount: value('check-amount'), locale };
    announce(status, 'Checking the transfer…');
    void client
      .post<LocalisedVerdict>(`/v1/assets/${encodeURIComponent(asset)}/transfer-checks`, body)
      .then((verdict) => {
        const allowed = verdict.code === 0;
        replaceChildren(
          result,
          h('p', { lang: locale, class: allowed ? '' : 'warning', 'data-kind': allowed ? 'ok' : undefined }, `${allowed ? 'Allowed' : `Restricted (code ${verdict.code})`}: ${verdict.message}`),
          allowed ? null : h('h3', {}, `Every failing reason (${verdict.reasons.length})`),
          allowed ? null : h('div', { lang: locale }, dataTable('Failing reasons', ['Code', 'Party', 'Reason', 'Rule'], verdict.reasons.map((r) => [String(r.code), r.party, h('span', { class: 'reason' }, r.message), h('span', { class: 'mono' }, r.name)]), '')),
        );
        announce(status, allowed ? 'The transfer is allowed.' : `The transfer is restricted: ${verdict.reasons.length} reasons.`, allowed ? 'ok' : 'info');
      })
      .catch((error: Error) => {
        replaceChildren(result, h('p', { 'data-kind': 'error' }, `The check failed: ${error.message}`));
        announce(status, `The check failed: ${error.message}`, 'error');
      });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'check-title', id: 'transfer-check' }, h('h2', { id: 'check-title' }, 'Transfer check'), form, result);
}
