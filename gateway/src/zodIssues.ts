import type { z } from 'zod';

const MAX_MESSAGE = 300;

/** Dotted path of a zod issue (`items.3.subject`); empty for the root. */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map((p) => String(p)).join('.');
}

/**
 * A zod issue as one line of text. Unrecognised keys are named (they come from the client, so
 * the list and each name are cut short); everything else keeps zod's message, which never
 * echoes the rejected value.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  let message = issue.message;
  if (issue.code === 'invalid_type' && / received undefined$/.test(message)) {
    message = `is required (${issue.expected})`;
  } else if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k));
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys.join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`;
  }
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}
