import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NetworkError } from '../errors';
import { hostSchema } from '../hosts/hostAddress';
import { ORG_ROLES } from '../networkConfig';
import { orgGroupProblems } from './orgGroupCheck';

/** Marks a file as an org definition of this tool, so a wrong file is refused early. */
export const ORG_DEFINITION_KIND = 'kyc-ledger/org-definition';

/** An org's short name: also its directory and cryptogen's org name. */
export const orgNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower case letters, digits and -, starting with a letter (at most 31)');
export const mspIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/, 'must be letters, digits, . and -, starting with a letter (at most 64)');
/** The org's DNS domain: cryptogen names every identity under it. */
export const domainSchema = z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, 'must be a DNS domain such as bank3.example.com');
export const portSchema = z.number().int().min(1).max(65535);

const definitionSchema = z
  .object({
    kind: z.literal(ORG_DEFINITION_KIND),
    name: orgNameSchema,
    mspId: mspIdSchema,
    domain: domainSchema,
    role: z.enum(ORG_ROLES),
    anchorPeer: z.object({ host: hostSchema, port: portSchema }).strict(),
    /** The org's channel config group as `configtxgen -printOrg` prints it (MSP certificates and policies). */
    group: z.object({ groups: z.unknown(), mod_policy: z.string(), policies: z.record(z.string(), z.unknown()), values: z.record(z.string(), z.unknown()), version: z.unknown() }).loose(),
  })
  .strict();

/**
 * What a new org hands to the consortium: certificates and policies only. It is everything the
 * members need to compute the channel config update that adds it.
 */
export type OrgDefinition = z.output<typeof definitionSchema>;

/** Text that must never appear in a definition (a key that left its owner's machine). */
const PRIVATE_KEY = /PRIVATE KEY/;

/** Throws ORG_DEFINITION_INVALID (listing every problem) when the JSON is not a definition, carries a private key, or its group is not a plain member org's (orgGroupProblems). */
export function parseOrgDefinition(text: string, source = 'org definition'): OrgDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new NetworkError('ORG_DEFINITION_INVALID', `${source} is not JSON`, { cause });
  }
  const parsed = definitionSchema.safeParse(json);
  if (!parsed.success) {
    throw new NetworkError('ORG_DEFINITION_INVALID', `${source} is not an org definition: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      details: { issues: parsed.error.issues },
    });
  }
  assertNoPrivateKey(text, source);
  const problems = orgGroupProblems(parsed.data.group, parsed.data.mspId);
  if (problems.length > 0) {
    throw new NetworkError('ORG_DEFINITION_INVALID', `${source}: the org's config group is not one this consortium admits: ${problems.join('; ')}`, { details: { problems } });
  }
  return parsed.data;
}

/** Refuses any text that holds PEM private key material (also base64-encoded, as configtxgen embeds PEM). */
export function assertNoPrivateKey(text: string, source: string): void {
  const decoded = [...text.matchAll(/"([A-Za-z0-9+/]{40,}={0,2})"/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('latin1'));
  if (PRIVATE_KEY.test(text) || decoded.some((d) => PRIVATE_KEY.test(d))) {
    throw new NetworkError('ORG_DEFINITION_INVALID', `${source} contains a private key; only certificates may leave an org`);
  }
}

export function readOrgDefinition(file: string): OrgDefinition {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new NetworkError('ORG_DEFINITION_INVALID', `cannot read org definition ${file}`, { cause });
  }
  return parseOrgDefinition(text, file);
}
