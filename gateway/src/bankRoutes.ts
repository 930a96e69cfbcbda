import { createHash } from 'node:crypto';
import path from 'node:path';
import { canonicalize } from 'json-canonicalize';
import { BankSessionErrorCodes, createBankSession, encodeSessionUri, isBankSessionError, prepareBankSessionSigner, WalletSubmissionSchema, type BankSession, type PreparedBankSessionSigner } from '@kyc-ledger/crypto';
import QRCode from 'qrcode';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AppConfig } from './createApp';
import type { LedgerClient } from './fabricClient';
import type { GatewayMetrics } from './httpMetrics';
import { GatewayError, GatewayErrorCodes, isGatewayError } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';
import { defineRoute, type RouteDefinition } from './routeDefinition';
import { named } from './schemaRegistry';
import { sessionFromSubmission } from './sessionFromSubmission';
import { SessionStore, type SessionEntry, type Verdict } from './sessionStore';
import { siblingVerdicts } from './siblingVerdicts';
import { RecentVerifications } from './recentVerifications';
import { sessionEventsRoute } from './sessionEventsRoute';
import { alreadyUsed, sessionRefusalRoute } from './sessionRefusalRoute';
import { sessionStatusReader, SessionStatusSchema } from './sessionStatus';
import { verificationsRoute } from './verificationsRoute';
import { createAttestationView } from './attestationView';
import { openReplicaStore } from './openReplicaStore';
import { createReceiptBatcher } from './receiptBatcher';
import { registerViewMetrics } from './registerViewMetrics';
import { assess, preflight } from './verifySubmission';
import { BankSessionDocSchema, WalletSubmissionDocSchema } from './walletSchemas';

/** The bank's Fabric identity (PEM), which signs its sessions so wallets can show who asks. */
export interface SessionSigner {
  certificatePem: string;
  privateKeyPem: string;
}

const TAG = 'verification sessions (bank)';
const FIELD = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'must be a field name');
const TOPIC = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a claim topic');
/** Verdicts stay readable this long after their session expired, then are forgotten. */
const VERDICT_GRACE_MS = 10 * 60_000;

const CreateSessionSchema = named('CreateSessionRequest', z.strictObject({
  fields: z.array(FIELD).min(1).max(32).describe('field names the person must disclose'),
  claimTopics: z.array(TOPIC).max(16).optional().describe('claim topics the attestation must carry'),
  ttlSeconds: z.number().int().min(30).max(3600).optional(),
}));

const CreateSessionQuerySchema = z.strictObject({
  qr: z.enum(['svg', 'png']).optional().describe('also render the QR code (walletLink when the gateway has a walletUrl, else the uri) as an SVG image or a PNG data URL; absent: no image'),
});

const SessionParamsSchema = z.strictObject({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a session id') });

const ReasonSchema = z.object({ code: z.string(), message: z.string() });

const SessionCreatedSchema = named('SessionCreated', z.object({
  sessionId: z.string(),
  expiresAt: z.string(),
  uri: z.string().describe('kycledger://session deep link'),
  walletLink: z.string().optional().describe('with the gateway\'s walletUrl: that web wallet\'s address with the uri in its fragment (never sent to a server); the QR code then carries it'),
  qr: z.object({ svg: z.string().optional(), pngDataUrl: z.string().optional() }).optional().describe('only with ?qr=svg or ?qr=png'),
  session: BankSessionDocSchema,
}));

// Any JSON object: the handler checks it in full, to answer SUBMISSION_MALFORMED (documented as WalletSubmission).
const SubmissionSchema = z.record(z.string(), z.unknown());

const ReceiptParamsSchema = z.strictObject({ sessionIdHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits') });

const ReceiptSchema = named('ConsentReceipt', z.object({
  receipt: z.object({
    sessionIdHash: z.string(),
    subject: z.string(),
    attestationId: z.string(),
    result: z.enum(['verified', 'rejected']),
    reasons: z.array(z.string()),
    consentHash: z.string(),
    salt: z.string().describe('32 random bytes (hex): the on-chain value hash cannot be matched against a guess'),
    bank: z.string(),
    txId: z.string(),
    recordedAt: z.string(),
  }).describe('the receipt as this bank stored it in its private data collection'),
  valueHash: z.string().describe('sha256 of the receipt\'s canonical JSON: the value hash in the private-data hash write set of transaction txId'),
}));

const WalletVerdictSchema = named('WalletVerdict', z.object({
  verified: z.boolean(),
  reasons: z.array(ReasonSchema),
  receiptTransactionId: z.string().optional(),
}));

/**
 * A bank's routes (DESIGN.md flow 2): create a signed one-time session (deep link and QR code),
 * take the wallet's consent and disclosure, verify them against the ledger, record the consent
 * receipt, and let the bank's back office read the verdict. Sessions and disclosed values live in
 * memory only. Several instances of one bank's gateway (cores or machines) share nothing but the
 * ledger: a session is signed by the bank, so any instance takes a submission that carries it,
 * and the consent receipt on the ledger decides one-time use.
 */
export function bankRoutes(deps: {
  config: AppConfig;
  ledger: LedgerClient;
  signer: SessionSigner | undefined;
  now: (() => Date) | undefined;
  metrics?: GatewayMetrics;
  logger?: Logger;
}): RouteDefinition[] {
  const { config, ledger, signer } = deps;
  const now = deps.now ?? (() => new Date());
  const store = new SessionStore(VERDICT_GRACE_MS, now);
  // Siblings learn of a refusal too, so a counter following the session at another instance sees it.
  const siblings = siblingVerdicts((sessionId) => {
    const entry = store.get(sessionId);
    if (entry?.state !== 'refused' || !entry.refusedAt) return entry?.verdict;
    return { verified: false, reasons: [{ code: 'REFUSED', message: 'the person refused the session' }], decidedAt: entry.refusedAt, refusedAt: entry.refusedAt };
  });
  const status = sessionStatusReader({ store, siblings, ledger, now });
  const recent = new RecentVerifications(config.dataDir ? path.join(config.dataDir, 'recent-verifications.jsonl') : undefined, undefined, (error) =>
    deps.logger?.warn({ err: error }, 'could not write the recent verifications file; the list is kept in memory'),
  );
  const receipts = createReceiptBatcher(ledger, config.org.mspId);
  const view = createAttestationView(ledger, config.dataDir ? { db: openReplicaStore(config.dataDir, 'attestation-replica') } : {});
  if (deps.metrics) registerViewMetrics(deps.metrics.registry, view);
  const network = `${config.consortium ?? 'kyc-ledger'}/${config.channel ?? 'kyc'}`;
  const submitUrl = `${config.publicBaseUrl.replace(/\/$/, '')}/v1/sessions/submissions`;
  // The identity is parsed and checked once here, not for every session; a bad one is reported
  // by the routes that need it, as before, so the gateway's other routes still start.
  let identity: PreparedBankSessionSigner | undefined;
  let identityError: unknown;
  try {
    identity = signer && prepareBankSessionSigner(signer);
  } catch (error) {
    identityError = error;
  }
  const requireIdentity = (): PreparedBankSessionSigner => {
    if (identityError) throw identityError;
    if (!identity) throw new GatewayError(GatewayErrorCodes.INVALID_CONFIG, 'this gateway has no identity to sign sessions with');
    return identity;
  };

  /** The session a submission answers: this instance's own, or one another instance of this bank signed. */
  function sessionOf(submission: z.output<typeof WalletSubmissionSchema>, sessionId: string): SessionEntry {
    const entry = store.get(sessionId);
    if (entry) return entry;
    const carried = submission.session;
    if (!carried || carried.sessionId !== sessionId || !identity) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, 'no such session at this bank');
    // The entry itself, not a lookup: a carried session long expired is past the store's grace
    // period, and preflight must refuse it as SESSION_EXPIRED.
    return store.add(sessionFromSubmission(carried, { mspId: config.org.mspId, network, identity }));
  }

  /** The entry of a session a wallet sent back (a refusal): checked as this bank's, and the very session held here. */
  function entryOfCarried(carried: BankSession): SessionEntry {
    if (!identity) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, 'no such session at this bank');
    sessionFromSubmission(carried, { mspId: config.org.mspId, network, identity });
    const entry = store.get(carried.sessionId);
    if (!entry) return store.add(carried);
    // Signed by this bank, yet not the session held under its id: it cannot be.
    if (entry.session.signature !== carried.signature) throw new GatewayError(GatewayErrorCodes.INVALID_SIGNATURE, 'the session is not the one this bank issued under its id', { details: { reason: 'SESSION_MISMATCH' } });
    return entry;
  }

  return [
    defineRoute({
      operationId: 'createSession',
      method: 'post',
      path: '/v1/sessions',
      tag: TAG,
      summary: 'Create a signed one-time verification session (deep link; QR code image on request)',
      description: 'The answer carries the deep link (`uri`), which is what the QR code encodes. A counter page that wants the image asks for it with `?qr=svg` or `?qr=png`; rendering it costs far more than the session itself.',
      access: 'bank',
      query: CreateSessionQuerySchema,
      body: CreateSessionSchema,
      responses: [{ status: 201, description: 'session created', schema: SessionCreatedSchema }],
      async handler({ body, query }) {
        let session: BankSession;
        try {
          session = createBankSession({
            network,
            bank: { mspId: config.org.mspId, name: config.org.displayName ?? config.org.name },
            fields: body.fields,
            claimTopics: body.claimTopics ?? [],
            ttlSeconds: body.ttlSeconds ?? config.sessionTtlSeconds,
            submitUrl,
          }, { identity: requireIdentity(), now: now() });
        } catch (error) {
          // The bank's own certificate (expired, not yet valid): the gateway's set-up, not the request.
          if (isBankSessionError(error, BankSessionErrorCodes.SESSION_SIGNER_INVALID)) {
            throw new GatewayError(GatewayErrorCodes.INVALID_CONFIG, `this gateway cannot sign sessions: ${error.message}`, { cause: error });
          }
          throw error;
        }
        store.add(session);
        const uri = encodeSessionUri(session);
        // The fragment never reaches a server (nor its logs); the web wallet reads it in the page.
        const walletLink = config.walletUrl ? `${config.walletUrl.split('#')[0]}#${uri}` : undefined;
        const content = walletLink ?? uri;
        const qr = query.qr === 'svg'
          ? { svg: await QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M' }) }
          : query.qr === 'png' ? { pngDataUrl: await QRCode.toDataURL(content, { errorCorrectionLevel: 'M' }) } : undefined;
        return { status: 201, body: { sessionId: session.sessionId, expiresAt: session.expiresAt, uri, ...(walletLink && { walletLink }), ...(qr && { qr }), session } };
      },
    }),
    defineRoute({
      operationId: 'getSession',
      method: 'get',
      path: '/v1/sessions/:sessionId',
      tag: TAG,
      summary: 'State and verdict of a session (the disclosed values are returned here only)',
      description: 'Any instance of the bank\'s gateway answers: the instance that took the submission from its memory (with the disclosed values), any other from the bank\'s consent receipt on the ledger (verdict, reason codes and receipt transaction; no disclosed values, which never leave the instance that took them).',
      access: 'bank',
      params: SessionParamsSchema,
      responses: [{ status: 200, description: 'the session', schema: SessionStatusSchema }],
      async handler({ params }) {
        return { body: await status(params.sessionId) };
      },
    }),
    defineRoute({
      operationId: 'submitToSession',
      method: 'post',
      path: '/v1/sessions/submissions',
      tag: TAG,
      summary: 'The wallet\'s consent and disclosure for a session (the session id is in the consent)',
      description: 'Refused without using up the session when malformed, for another session or bank, expired, or not validly signed. Otherwise the session is used up, verified against the ledger, and a consent receipt is recorded. With the signed `session` in the submission any instance of the bank\'s gateway takes it; without it, only the instance that created the session. The ledger decides one-time use: a session whose receipt any instance recorded is refused with SESSION_ALREADY_USED.',
      access: 'public',
      body: SubmissionSchema,
      documentedBody: WalletSubmissionDocSchema,
      responses: [{ status: 200, description: 'verdict (verified or not, with every failing reason)', schema: WalletVerdictSchema }],
      errorStatuses: [404, 409, 422, 502, 503],
      async handler({ body }) {
        // Structure first, so a malformed body is told so whatever state its session is in.
        const parsed = WalletSubmissionSchema.safeParse(body);
        if (!parsed.success) {
          throw new GatewayError(GatewayErrorCodes.SUBMISSION_MALFORMED, 'the submission is not {consent, signature, disclosure[, session]}', {
            details: { issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
          });
        }
        const sessionId = parsed.data.consent.purpose === 'consent' ? parsed.data.consent.sessionId : '';
        const entry = sessionOf(parsed.data, sessionId);
        if (entry.state !== 'open') throw alreadyUsed(entry);
        const checked = preflight(body, entry, now());
        if (!store.consume(sessionId)) throw alreadyUsed(entry);
        let verdict: Verdict;
        try {
          const assessment = await assess(view, entry, checked, now());
          // The verdict is answered only once its receipt is committed: a receipt is never lost.
          const { transactionId } = await receipts.record(assessment.receipt);
          verdict = { ...assessment.verdict, receiptTransactionId: transactionId };
        } catch (error) {
          // Another instance recorded this session's receipt: it stays used here too.
          if (!isGatewayError(error, GatewayErrorCodes.SESSION_ALREADY_USED)) store.reopen(sessionId);
          throw error;
        }
        store.decide(sessionId, verdict);
        recent.add({
          sessionId, state: verdict.verified ? 'verified' : 'rejected', decidedAt: verdict.decidedAt, verified: verdict.verified, reasons: verdict.reasons.map((r) => r.code),
          ...(verdict.attestationId && { attestationId: verdict.attestationId }), ...(verdict.address && { address: verdict.address }),
          ...(verdict.receiptTransactionId && { receiptTransactionId: verdict.receiptTransactionId }),
        });
        return { body: { verified: verdict.verified, reasons: verdict.reasons, receiptTransactionId: verdict.receiptTransactionId }, transactionId: verdict.receiptTransactionId };
      },
    }),
    defineRoute({
      operationId: 'getReceipt',
      method: 'get',
      path: '/v1/receipts/:sessionIdHash',
      tag: TAG,
      summary: 'This bank\'s consent receipt for a session (by sha256 of the session id)',
      description: 'Read from this bank\'s own private data collection: another bank\'s receipt for the same session is never found here. Hand the receipt to a regulator with its valueHash, which the block of txId holds.',
      access: 'bank',
      params: ReceiptParamsSchema,
      responses: [{ status: 200, description: 'the receipt', schema: ReceiptSchema }],
      async handler({ params }) {
        const receipt = await ledger.evaluate<Record<string, unknown>>(F.CONSENT_GET, [params.sessionIdHash]);
        const valueHash = createHash('sha256').update(canonicalize(receipt)).digest('hex');
        return { body: { receipt: receipt as z.output<typeof ReceiptSchema>['receipt'], valueHash } };
      },
    }),
    sessionEventsRoute({ store, status, now, paramsSchema: SessionParamsSchema, tag: TAG }),
    sessionRefusalRoute({ store, recent, entryOf: entryOfCarried, now, tag: TAG }),
    verificationsRoute({ recent, tag: TAG }),
  ];
}
