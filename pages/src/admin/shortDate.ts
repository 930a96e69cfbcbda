/** An ISO timestamp as "2026-11-30 22:31 UTC" (the ledger's times are UTC; no DOM: unit tested). */
export function shortDate(iso: string | undefined): string {
  if (!iso) return '';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
