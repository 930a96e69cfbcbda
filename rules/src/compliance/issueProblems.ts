import type { z } from 'zod';

function problem(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(root)';
  // zod's own message for a bad record key is generic; the key schema's message says what is wrong.
  const message = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : issue.message;
  return `${path}: ${message}`;
}

/** zod issues as "path: message" lines (the chaincode's INVALID_ARGUMENT convention), without repeats. */
export function issueProblems(error: z.ZodError): string[] {
  return [...new Set(error.issues.map(problem))];
}
