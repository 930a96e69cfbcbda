import { apiKeyPanel } from '../shared/apiKeyPanel';
import { byId, h, replaceChildren } from '../shared/dom';
import { counterPage } from './counterPage';

const main = byId('main');
apiKeyPanel(main, 'of the bank (its teller key)', (client, signOut) => {
  replaceChildren(byId('account'), h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'));
  counterPage(main, byId('status'), client);
});
