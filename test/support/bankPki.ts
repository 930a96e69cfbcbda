import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Throwaway PKI for tests of the bank's signed sessions: a CA and identities it issues, shaped
 * like cryptogen's output (P-256 keys as PKCS#8 PEM, NodeOU-style subjects). Keys come from
 * node:crypto; certificates from the `openssl` CLI, because node:crypto cannot build X.509
 * certificates.
 */
export interface TestIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is needed for these tests: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

function p256KeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyc-pki-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed CA for `org` (e.g. `bank1.example.com`), valid for `days`. */
export function createTestCa(org: string, days = 30): TestIdentity {
  return withTempDir((dir) => {
    const privateKeyPem = p256KeyPem();
    writeFileSync(path.join(dir, 'ca.key'), privateKeyPem);
    openssl(
      [
        'req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', String(days),
        '-subj', `/C=US/O=${org}/CN=ca.${org}`,
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
        '-out', 'ca.pem',
      ],
      dir,
    );
    return { certificatePem: readFileSync(path.join(dir, 'ca.pem'), 'utf8'), privateKeyPem };
  });
}

/** An identity certificate issued by `ca` (valid from now for `days`), with a fresh P-256 key. */
export function issueTestIdentity(ca: TestIdentity, commonName: string, opts: { days?: number; ou?: string; keyType?: 'p256' | 'rsa' } = {}): TestIdentity {
  return withTempDir((dir) => {
    const privateKeyPem =
      opts.keyType === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
        : p256KeyPem();
    writeFileSync(path.join(dir, 'ca.key'), ca.privateKeyPem);
    writeFileSync(path.join(dir, 'ca.pem'), ca.certificatePem);
    writeFileSync(path.join(dir, 'id.key'), privateKeyPem);
    writeFileSync(path.join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    openssl(['req', '-new', '-key', 'id.key', '-subj', `/C=US/OU=${opts.ou ?? 'client'}/CN=${commonName}`, '-out', 'id.csr'], dir);
    openssl(
      [
        'x509', '-req', '-in', 'id.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
        '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', String(opts.days ?? 30), '-sha256',
        '-extfile', 'ext.cnf', '-out', 'id.pem',
      ],
      dir,
    );
    return { certificatePem: readFileSync(path.join(dir, 'id.pem'), 'utf8'), privateKeyPem };
  });
}

/** A bank's CA and one of its users, as a bank gateway would hold them. */
export function createTestBank(org = 'bank1.example.com'): { ca: TestIdentity; user: TestIdentity } {
  const ca = createTestCa(org);
  return { ca, user: issueTestIdentity(ca, `User1@${org}`) };
}
