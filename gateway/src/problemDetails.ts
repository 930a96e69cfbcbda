import type { Response } from 'express';
import { errorClassOf } from './errorTable';
import { ValidationError, type GatewayError, type ValidationIssue } from './gatewayError';

/** Media type of every error answer (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Most validation issues listed in one answer; a bulk request can have thousands. */
export const MAX_LISTED_ISSUES = 100;

/** An RFC 9457 problem with the gateway's extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  requestId: string;
  transactionId?: string;
  errors?: ValidationIssue[];
  details?: unknown;
}

/** The problem type URI of an error code. */
export function problemType(code: string): string {
  return `urn:kyc-ledger:error:${code}`;
}

/**
 * The problem answer for `error`. Server-side failures (5xx) get a generic detail and no details:
 * their messages can name internals and are only logged.
 */
export function toProblemDetails(error: GatewayError, requestId: string, instance?: string): ProblemDetails {
  const known = errorClassOf(error.code);
  const status = known?.status ?? 500;
  const serverSide = status >= 500;
  const problem: ProblemDetails = {
    type: problemType(error.code),
    title: known?.title ?? 'Unexpected error',
    status,
    detail: serverSide && status !== 503 ? `the gateway could not complete the request; quote request id ${requestId} when reporting it` : error.message,
    code: error.code,
    requestId,
  };
  if (instance !== undefined) problem.instance = instance;
  if (error.transactionId !== undefined) problem.transactionId = error.transactionId;
  if (error instanceof ValidationError) {
    problem.errors = error.issues.slice(0, MAX_LISTED_ISSUES);
    if (error.issues.length > MAX_LISTED_ISSUES) {
      problem.detail = `${error.message} (${error.issues.length} problems, the first ${MAX_LISTED_ISSUES} listed)`;
    }
  }
  if (!serverSide && error.details !== undefined) problem.details = error.details;
  return problem;
}

/** Sends `problem` as `application/problem+json`. */
export function sendProblem(res: Response, problem: ProblemDetails): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
