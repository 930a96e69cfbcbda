import { Writable } from 'node:stream';
import type { Express } from 'express';
import { createApp, createGatewayLogger, hashApiKey, newGatewayMetrics, type AppConfig, type MemberRole } from '@kyc-ledger/gateway';
import { FakeLedgerClient } from './fakeLedgerClient';

export const CERTIFIER_KEY = 'test-certifier-key-0123456789';
export const OTHER_CERTIFIER_KEY = 'test-certifier-key-second';
export const BANK_KEY = 'test-bank-key-0123456789';

/** An EIP-55 test vector address and its normalised CAIP-10 id. */
export const SUBJECT = 'eip155:1:0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B';
export const SUBJECT_LOWER = 'eip155:1:0xab5801a7d398351b8be11c439e05c5b3259aec9b';
export const NEW_SUBJECT = 'eip155:1:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

export function appConfig(role: MemberRole = 'certifier', overrides: Partial<AppConfig> = {}): AppConfig {
  const keys =
    role === 'certifier'
      ? [
          { id: 'ops', keyHash: hashApiKey(CERTIFIER_KEY), role },
          { id: 'batch', keyHash: hashApiKey(OTHER_CERTIFIER_KEY), role },
        ]
      : [{ id: 'teller', keyHash: hashApiKey(BANK_KEY), role }];
  return {
    org: { name: `${role}1`, mspId: `${role[0]?.toUpperCase()}${role.slice(1)}1MSP`, role },
    apiKeys: keys,
    publicBaseUrl: 'https://gateway.example.test',
    cors: { enabled: false, origins: [] },
    sessionTtlSeconds: 300,
    ...overrides,
  };
}

export interface TestApp {
  app: Express;
  ledger: FakeLedgerClient;
  /** Parsed log lines written so far. */
  logs: Record<string, unknown>[];
}

/** A gateway app for `role` over a fresh fake ledger, logging into memory. */
export function newTestApp(role: MemberRole = 'certifier', overrides: Partial<AppConfig> = {}, readinessTimeoutMs = 200): TestApp {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const ledger = new FakeLedgerClient();
  const app = createApp({
    config: appConfig(role, overrides),
    ledger,
    logger: createGatewayLogger({ level: 'info', destination }),
    metrics: newGatewayMetrics({ defaultMetrics: false }),
    readinessTimeoutMs,
  });
  return { app, ledger, logs };
}

/** A valid attestation input (shape only: the fake ledger checks no signature). */
export function attestationInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: SUBJECT,
    commitmentRoot: 'a1'.repeat(32),
    fieldNames: ['birthDate', 'familyName', 'givenName', 'nationality'],
    claimTopics: ['kyc-basic'],
    jurisdiction: 'DE',
    assuranceLevel: 'substantial',
    expiresAt: '2027-12-31T00:00:00Z',
    evidenceHash: 'b2'.repeat(32),
    subjectSignature: { scheme: 'eip191', signature: `0x${'cd'.repeat(65)}` },
    ...overrides,
  };
}
