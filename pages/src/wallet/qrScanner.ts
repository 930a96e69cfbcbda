import jsQR from 'jsqr';
import { h } from '../shared/dom';
import { sessionUriFrom } from './sessionLink';

/**
 * Scans a session QR code with the camera (getUserMedia, decoded with jsQR frame by frame) and
 * hands over the session URI — the counter's link form (`…/app/wallet/#kycledger://…`) or the
 * bare URI. Other codes are ignored with a note. The camera stops when a code is found or the
 * person cancels. Frames never leave the browser.
 */
export function qrScanner(onUri: (uri: string) => void, onClose: () => void): HTMLElement {
  const video = h('video', { class: 'wallet-video', playsinline: true, muted: true, 'aria-label': 'Camera preview' });
  const note = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Starting the camera…');
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const canvas = document.createElement('canvas');
  let stream: MediaStream | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    stream?.getTracks().forEach((t) => t.stop());
  };
  cancel.addEventListener('click', () => {
    stop();
    onClose();
  });
  const tick = () => {
    if (stopped) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (context) {
        context.drawImage(video, 0, 0);
        const frame = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
        if (code) {
          const uri = sessionUriFrom(code.data);
          if (uri) {
            stop();
            onUri(uri);
            return;
          }
          note.textContent = 'That QR code is not a kyc-ledger session. Point the camera at the code the bank shows.';
        }
      }
    }
    requestAnimationFrame(tick);
  };
  void (async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      if (stopped) return stop();
      video.srcObject = stream;
      await video.play();
      note.textContent = 'Point the camera at the QR code the bank shows.';
      requestAnimationFrame(tick);
    } catch (e) {
      note.textContent = `The camera is not available (${(e as Error).name}). Open the bank's link instead, or paste it below.`;
    }
  })();
  return h('section', { class: 'card', 'aria-labelledby': 'scan-title' }, h('h2', { id: 'scan-title' }, 'Scan the bank\'s QR code'), video, note, cancel);
}
