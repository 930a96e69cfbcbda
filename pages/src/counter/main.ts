import { apiKeyPanel } from '../shared/apiKeyPanel';
import { announce, byId, h, replaceChildren } from '../shared/dom';
import { counterPage } from './counterPage';

/** Survives the reload of a sign-out, to say why the key is asked for again. */
const NOTICE_KEY = 'kyc-ledger.counter.notice';

const main = byId('main');
const status = byId('status');
const notice = sessionStorage.getItem(NOTICE_KEY);
if (notice) {
  sessionStorage.removeItem(NOTICE_KEY);
  announce(status, notice, 'error');
}
apiKeyPanel(main, 'of the bank (its teller key)', (client, signOut) => {
  replaceChildren(byId('account'), h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'));
  counterPage(main, status, client, () => {
    sessionStorage.setItem(NOTICE_KEY, 'The gateway refused this API key. Enter a bank key of this gateway.');
    signOut();
  });
});
