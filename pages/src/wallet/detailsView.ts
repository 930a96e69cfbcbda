import { FIELD_CATALOGUE, type CatalogueField } from '@kyc-ledger/crypto/dist/fieldCatalogue.js';
import { h } from '../shared/dom';
import { FIELD_LABELS, REQUIRED_FIELDS } from './fieldLabels';

/** What the person entered: field values and where to ask for the attestation. */
export interface DetailsInput {
  fields: Record<string, string>;
  certifier: string;
  network: string;
  claimTopics: string[];
}

/** Defaults of the request part; the person can change them (the certifier tells them what to use). */
export const DEFAULT_CERTIFIER = 'Certifier1MSP';
export const DEFAULT_NETWORK = 'kyc-ledger/kyc';
export const DEFAULT_CLAIM_TOPICS = 'identity';

function fieldInput(name: CatalogueField, required: boolean): HTMLElement[] {
  const id = `field-${name}`;
  const definition = FIELD_CATALOGUE[name];
  const label = h('label', { for: id }, FIELD_LABELS[name], required ? '' : ' (optional)');
  if (definition.kind === 'enum') {
    const select = h('select', { id, name }, h('option', { value: '' }, '—'), definition.values.map((v) => h('option', { value: v }, v)));
    return [label, select];
  }
  const type = definition.kind === 'date' ? 'date' : definition.kind === 'email' ? 'email' : 'text';
  const extra = definition.kind === 'country' ? { maxlength: 2, pattern: '[A-Za-z]{2}', autocapitalize: 'characters' } : {};
  return [label, h('input', { id, name, type, required, autocomplete: 'off', spellcheck: 'false', ...extra })];
}

/**
 * The form where the person enters their details (the field catalogue: the identity fields
 * required, the others optional) and the certifier, network and claim topics of the request.
 */
export function detailsView(onSubmit: (input: DetailsInput) => Promise<void>): HTMLElement {
  const optional = (Object.keys(FIELD_CATALOGUE) as CatalogueField[]).filter((f) => !REQUIRED_FIELDS.includes(f));
  const button = h('button', { type: 'submit' }, 'Prepare my attestation request');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'details-title', 'data-testid': 'details-form' },
    h('h2', { id: 'details-title' }, 'Your details'),
    h('p', {}, 'They stay in this browser, encrypted. Only a hash of each (a commitment) goes to the certifier, who checks your documents.'),
    REQUIRED_FIELDS.map((f) => fieldInput(f, true)),
    h('details', {}, h('summary', {}, 'More details (optional)'), optional.map((f) => fieldInput(f, false))),
    h('h3', {}, 'Who certifies them'),
    h('label', { for: 'certifier' }, 'Certifier (MSP id)'),
    h('input', { id: 'certifier', name: 'certifier', required: true, value: DEFAULT_CERTIFIER, spellcheck: 'false' }),
    h('label', { for: 'network' }, 'Network'),
    h('input', { id: 'network', name: 'network', required: true, value: DEFAULT_NETWORK, spellcheck: 'false' }),
    h('label', { for: 'claim-topics' }, 'Claim topics (comma-separated)'),
    h('input', { id: 'claim-topics', name: 'claim-topics', required: true, value: DEFAULT_CLAIM_TOPICS, spellcheck: 'false' }),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const fields: Record<string, string> = {};
    for (const name of Object.keys(FIELD_CATALOGUE)) {
      const value = text(name);
      if (value !== '') fields[name] = value;
    }
    const claimTopics = text('claim-topics').split(',').map((t) => t.trim()).filter((t) => t !== '');
    button.disabled = true;
    void onSubmit({ fields, certifier: text('certifier'), network: text('network'), claimTopics }).finally(() => {
      button.disabled = false;
    });
  });
  return form;
}
