import { announce, byId } from '../shared/dom';
import { startWallet } from './walletApp';

// Offline use: the service worker keeps this page's files (not the person's data, which is in IndexedDB).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
    // Not fatal: the page works online without it (private windows may refuse service workers).
  });
}

startWallet().catch((e: unknown) => announce(byId('status'), `The wallet could not start: ${(e as Error).message}`, 'error'));
