import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { memberOrgPolicies } from '../channelConfig';
import { NetworkError } from '../errors';
import { run } from '../exec';
import { binaryPath, type FabricInstall } from '../fabricBinaries';
import type { OrgRole } from '../networkConfig';
import { hostSchema } from '../hosts/hostAddress';
import { domainSchema, mspIdSchema, ORG_DEFINITION_KIND, orgNameSchema, parseOrgDefinition, portSchema, type OrgDefinition } from './orgDefinition';
import { orgDirectory, type OrgDirectory } from './orgDirectory';

export interface OrgInitOptions {
  name: string;
  mspId: string;
  domain: string;
  role: OrgRole;
  /** Where the org's peer is reached by the others (its anchor peer). */
  host: string;
  peerPort: number;
  /** The org's own directory; keys are made here and never leave it. */
  out: string;
}

export interface OrgInitResult {
  dir: OrgDirectory;
  definition: OrgDefinition;
}

export const PEER_NAME = 'peer0';

/**
 * Makes one org's MSP, TLS, admin, user and peer identities alone (cryptogen with a one-org
 * config), then the definition it hands over: `configtxgen -printOrg` of the org, which carries
 * its CA and TLS CA certificates and its policies, never a key.
 */
export async function initOrg(options: OrgInitOptions, fabric: FabricInstall): Promise<OrgInitResult> {
  assertInitOptions(options);
  const dir = orgDirectory(path.resolve(options.out), options.domain);
  if (existsSync(dir.cryptoDir)) {
    throw new NetworkError('CONFIG_INVALID', `${dir.cryptoDir} already exists; an org's keys are made once (choose another --out)`);
  }
  try {
    await mkdir(dir.configDir, { recursive: true });
  } catch (cause) {
    throw new NetworkError('INVALID_ARGUMENT', `cannot create ${dir.configDir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause, details: { out: options.out } });
  }
  try {
    return await makeOrg(options, dir, fabric);
  } catch (error) {
    // Half-made keys would make every retry fail "already exists"; nothing of them has left this machine.
    await rm(dir.cryptoDir, { recursive: true, force: true });
    throw error;
  }
}

/** Checks every option before anything is written: INVALID_ARGUMENT listing each problem. */
export function assertInitOptions(options: OrgInitOptions): void {
  const checks: [string, z.ZodType, unknown][] = [
    ['name', orgNameSchema, options.name], ['--msp-id', mspIdSchema, options.mspId], ['--domain', domainSchema, options.domain],
    ['--host', hostSchema, options.host], ['--peer-port', portSchema, options.peerPort],
  ];
  const problems = checks.flatMap(([what, schema, value]) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : [`${what} ${JSON.stringify(value)}: ${parsed.error.issues.map((i) => i.message).join(', ')}`];
  });
  if (problems.length > 0) throw new NetworkError('INVALID_ARGUMENT', `org init: ${problems.join('; ')}`, { details: { problems } });
}

async function makeOrg(options: OrgInitOptions, dir: OrgDirectory, fabric: FabricInstall): Promise<OrgInitResult> {
  const cryptoConfig = path.join(dir.configDir, 'crypto-config.yaml');
  await writeFile(cryptoConfig, stringify({
    PeerOrgs: [{
      Name: options.name,
      Domain: options.domain,
      EnableNodeOUs: true,
      Specs: [{ Hostname: PEER_NAME, SANS: [...new Set(['localhost', '127.0.0.1', options.host])] }],
      Users: { Count: 1 },
    }],
  }));
  await run(binaryPath(fabric, 'cryptogen'), ['generate', `--config=${cryptoConfig}`, `--output=${dir.cryptoDir}`]);

  const configtxDir = path.join(dir.configDir, 'configtx');
  await mkdir(configtxDir, { recursive: true });
  // No AnchorPeers here: the org sets its anchor peer itself after joining, an update only its admin signs.
  await writeFile(path.join(configtxDir, 'configtx.yaml'), stringify({
    Organizations: [{ Name: options.mspId, ID: options.mspId, MSPDir: dir.orgMsp, Policies: memberOrgPolicies(options.mspId) }],
  }));
  const { stdout } = await run(binaryPath(fabric, 'configtxgen'), ['-printOrg', options.mspId], { env: { ...process.env, FABRIC_CFG_PATH: configtxDir } });
  const text = JSON.stringify({
    kind: ORG_DEFINITION_KIND,
    name: options.name,
    mspId: options.mspId,
    domain: options.domain,
    role: options.role,
    anchorPeer: { host: options.host, port: options.peerPort },
    group: JSON.parse(stdout) as unknown,
  }, null, 2);
  // Parsing what we wrote checks its shape and that no key slipped in.
  const definition = parseOrgDefinition(text, 'the new definition');
  await writeFile(dir.definitionFile, `${text}\n`);
  return { dir, definition };
}
