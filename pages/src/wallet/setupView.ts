import { h } from '../shared/dom';
import { MIN_PASSPHRASE_LENGTH } from './passphraseBox';

/**
 * The first screen: create a wallet (choose a passphrase; the key is made in the browser) or,
 * when one exists, unlock it for this visit. `onSubmit` gets the passphrase and reports failures
 * through the page's status region; the form stays until it succeeds.
 */
export function setupView(mode: 'create' | 'unlock', onSubmit: (passphrase: string) => Promise<void>): HTMLElement {
  const passphrase = h('input', { id: 'passphrase', name: 'passphrase', type: 'password', required: true, minlength: MIN_PASSPHRASE_LENGTH, autocomplete: mode === 'create' ? 'new-password' : 'current-password' });
  const confirm = h('input', { id: 'passphrase-confirm', name: 'passphrase-confirm', type: 'password', required: true, autocomplete: 'new-password' });
  const button = h('button', { type: 'submit' }, mode === 'create' ? 'Create my wallet' : 'Unlock');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'setup-title', 'data-testid': `wallet-${mode}` },
    h('h2', { id: 'setup-title' }, mode === 'create' ? 'Create your wallet' : 'Unlock your wallet'),
    mode === 'create'
      ? h('p', {}, 'Your key is made in this browser and never leaves it. Your details are stored here, encrypted with a passphrase only you know. There is no way to recover a forgotten passphrase.')
      : h('p', {}, 'Enter your passphrase to use your wallet during this visit.'),
    h('label', { for: 'passphrase' }, mode === 'create' ? `Choose a passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters)` : 'Passphrase'),
    passphrase,
    mode === 'create' && [h('label', { for: 'passphrase-confirm' }, 'Repeat the passphrase'), confirm],
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (mode === 'create' && passphrase.value !== confirm.value) {
      confirm.setCustomValidity('The two passphrases differ.');
      confirm.reportValidity();
      return;
    }
    confirm.setCustomValidity('');
    button.disabled = true;
    void onSubmit(passphrase.value).finally(() => {
      button.disabled = false;
    });
  });
  return form;
}
