import { h } from '../shared/dom';
import type { AttestationRequestResult } from './attestationRequest';
import type { AttestationProgress } from './attestationProgress';

/**
 * The signed attestation request as JSON to copy or download for the certifier, and a line that
 * says where it stands. Returns the element and a function that updates that line.
 */
export function requestView(result: AttestationRequestResult): { element: HTMLElement; showProgress(progress: AttestationProgress): void } {
  const json = `${JSON.stringify(result.request, null, 2)}\n`;
  const progress = h('p', { 'data-testid': 'attestation-progress', class: 'badge warn wallet-badge' }, 'Waiting for the certifier…');
  const copy = h('button', { type: 'button' }, 'Copy');
  const download = h('a', { class: 'button', href: URL.createObjectURL(new Blob([json], { type: 'application/json' })), download: `attestation-request-${result.attestationId.slice(0, 12)}.json` }, 'Download');
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(json).then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Copy failed: select the text instead'),
    );
  });
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'request-title' },
    h('h2', { id: 'request-title' }, 'Your attestation'),
    progress,
    h('p', {}, `Give this request to ${result.certifier}. It holds your account, a hash of your details and your signature, not the details themselves.`),
    h('div', { class: 'row' }, copy, download),
    h('pre', { class: 'mono wallet-json', tabindex: 0, 'aria-label': 'Attestation request (JSON)', 'data-testid': 'attestation-request' }, json),
    h('p', { class: 'muted' }, 'Attestation id: ', h('span', { class: 'mono' }, result.attestationId)),
  );
  return {
    element,
    showProgress(p) {
      if (p.state === 'active') {
        progress.className = 'badge ok wallet-badge';
        progress.textContent = `Attested by ${p.certifier}`;
      } else if (p.state === 'not-valid') {
        progress.className = 'badge bad wallet-badge';
        progress.textContent = `Not valid: ${p.status}`;
      } else {
        progress.className = 'badge warn wallet-badge';
        progress.textContent = 'Waiting for the certifier…';
      }
    },
  };
}
