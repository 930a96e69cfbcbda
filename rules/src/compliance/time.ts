/**
 * Time arithmetic for the engine. Every instant comes from the input (the transaction time and
 * recorded facts), never from the machine's clock, so every peer and every later replay computes
 * the same verdict. Instants are compared as epoch milliseconds, not as strings, because
 * '…00Z' and '…00.000Z' name the same instant but do not sort as equal.
 */
export const DAY_MS = 86_400_000;

export function toMillis(iso: string): number {
  return Date.parse(iso);
}

/** The instant `days` whole days after `iso`, in epoch milliseconds. */
export function plusDays(iso: string, days: number): number {
  return toMillis(iso) + days * DAY_MS;
}

export function toIso(millis: number): string {
  return new Date(millis).toISOString();
}
