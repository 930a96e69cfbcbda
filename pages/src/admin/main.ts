import { byId, h, replaceChildren } from '../shared/dom';

// Placeholder until the page is built: says what it will be.
replaceChildren(byId('main'), h('section', { class: 'card' }, h('h2', {}, 'Network admin console'), h('p', {}, 'This page is not built yet.')));
