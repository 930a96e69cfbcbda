import { FIELD_CATALOGUE } from '@kyc-ledger/crypto/dist/fieldCatalogue.js';
import { h } from '../shared/dom';
import { parseTopics } from './counterFormat';

/** What the clerk asks the customer for. */
export interface SessionRequest {
  fields: string[];
  claimTopics: string[];
}

/** Fields ticked when the page opens: what opening an account needs first. */
const DEFAULT_FIELDS = new Set(['givenName', 'familyName']);

/** Field names as the clerk reads them. */
const FIELD_LABELS: Record<string, string> = {
  givenName: 'Given name', familyName: 'Family name', birthDate: 'Date of birth', nationality: 'Nationality',
  residenceCountry: 'Country of residence', documentNumber: 'Document number', documentType: 'Document type',
  address: 'Address', email: 'E-mail', taxId: 'Tax id',
};

/** A field's label for people (its catalogue name when it has none). */
export function fieldLabel(name: string): string {
  return FIELD_LABELS[name] ?? name;
}

/**
 * The "new session" form: the requested fields (checkboxes from the crypto core's field
 * catalogue) and claim topics. Calls `onSubmit` with the choice; says what is missing itself.
 */
export function sessionForm(onSubmit: (request: SessionRequest) => void, onInvalid: (message: string) => void): HTMLFormElement {
  const boxes = Object.keys(FIELD_CATALOGUE).map((name) =>
    h('label', { class: 'counter-check' },
      h('input', { type: 'checkbox', name: 'field', value: name, checked: DEFAULT_FIELDS.has(name), 'data-testid': `field-${name}` }),
      ` ${fieldLabel(name)}`),
  );
  const topics = h('input', { id: 'claim-topics', name: 'claimTopics', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. identity', 'aria-describedby': 'claim-topics-help' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-session-title', 'data-testid': 'session-form' },
    h('h2', { id: 'new-session-title' }, 'New verification'),
    h('fieldset', { class: 'counter-fields' }, h('legend', {}, 'Fields the customer discloses'), h('div', { class: 'counter-checks' }, boxes)),
    h('label', { for: 'claim-topics' }, 'Claim topics the attestation must carry'),
    topics,
    h('p', { id: 'claim-topics-help', class: 'muted' }, 'Optional; separate several with commas.'),
    h('div', { class: 'row' }, h('button', { type: 'submit', 'data-testid': 'create-session' }, 'Create session')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = [...form.querySelectorAll<HTMLInputElement>('input[name="field"]:checked')].map((box) => box.value);
    const claimTopics = parseTopics(topics.value);
    if (fields.length === 0) {
      onInvalid('Choose at least one field.');
      return;
    }
    const bad = claimTopics.find((t) => !/^[a-z][a-z0-9-]{0,63}$/.test(t));
    if (bad !== undefined) {
      onInvalid(`"${bad}" is not a claim topic (lower-case letters, digits and dashes).`);
      topics.focus();
      return;
    }
    onSubmit({ fields, claimTopics });
  });
  return form;
}
