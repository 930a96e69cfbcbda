import type { SessionState } from './counterTypes';

/** States a session never leaves. */
export const FINAL_STATES: ReadonlySet<SessionState> = new Set(['verified', 'rejected', 'refused', 'expired']);

/** What the clerk reads for each state, and the badge colour. */
export const STATE_LABELS: Record<SessionState, { text: string; kind: 'ok' | 'bad' | 'warn' }> = {
  open: { text: 'Waiting for the customer', kind: 'warn' },
  pending: { text: 'Checking…', kind: 'warn' },
  verified: { text: 'Verified', kind: 'ok' },
  rejected: { text: 'Not verified', kind: 'bad' },
  refused: { text: 'Refused', kind: 'bad' },
  expired: { text: 'Expired', kind: 'bad' },
};

/** `m:ss` left until `expiresAt`, or undefined once it has passed. */
export function timeLeft(expiresAt: string, nowMs: number): string | undefined {
  const seconds = Math.floor((Date.parse(expiresAt) - nowMs) / 1000);
  if (!(seconds > 0)) return undefined;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A timestamp as the clerk's browser shows local times. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Claim topics typed as a comma- or space-separated list. */
export function parseTopics(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.trim()).filter((t) => t !== ''))];
}
