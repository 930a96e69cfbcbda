import { readFileSync } from 'node:fs';
import { proposalInputSchema, type ProposalInput } from '@kyc-ledger/api';
import { parse as parseYaml } from 'yaml';
import { NetworkError } from '../errors';

/** The registry's governance actions, as `kyc-network governance propose <action>` names them. */
export const GOVERNANCE_ACTIONS = ['addMember', 'removeMember', 'accredit', 'deaccredit', 'publishRuleSet'] as const;

/** Flags of `governance propose` that make up a payload (every one optional; each action uses some). */
export interface ProposalFlags {
  payloadFile?: string;
  mspId?: string;
  displayName?: string;
  roles?: string;
  certifier?: string;
  countries?: string;
  claimTopics?: string;
  maxAssurance?: string;
  validFrom?: string;
  validUntil?: string;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** The payload the flags describe for `action` (fields left undefined when not given). */
function payloadFromFlags(action: string, flags: ProposalFlags): Record<string, unknown> {
  switch (action) {
    case 'addMember':
      return { mspId: flags.mspId, name: flags.displayName, roles: list(flags.roles) };
    case 'removeMember':
      return { mspId: flags.mspId };
    case 'accredit':
      return {
        certifier: flags.certifier, countries: list(flags.countries), claimTopics: list(flags.claimTopics),
        maxAssuranceLevel: flags.maxAssurance, validFrom: flags.validFrom, validUntil: flags.validUntil,
      };
    case 'deaccredit':
      return { certifier: flags.certifier };
    default:
      return {};
  }
}

function readPayloadFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new NetworkError('INVALID_ARGUMENT', `cannot read the payload file ${file}: ${(error as Error).message}`);
  }
  try {
    // YAML is a superset of JSON: one parser reads both.
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new NetworkError('INVALID_ARGUMENT', `${file} is neither JSON nor YAML: ${(error as Error).message}`);
  }
}

/**
 * The proposal `governance propose` sends: the payload from `--payload-file` (JSON or YAML; the
 * only way for `publishRuleSet`, whose payload is a whole rule set) or from the action's flags,
 * checked with the registry's own input schema, so a malformed proposal is refused here, listing
 * every problem, before anything reaches the ledger.
 */
export function proposalInput(action: string, flags: ProposalFlags): ProposalInput {
  if (!(GOVERNANCE_ACTIONS as readonly string[]).includes(action)) {
    throw new NetworkError('INVALID_ARGUMENT', `unknown action "${action}" (actions: ${GOVERNANCE_ACTIONS.join(', ')})`);
  }
  const fromFlags = Object.fromEntries(Object.entries(payloadFromFlags(action, flags)).filter(([, v]) => v !== undefined));
  if (flags.payloadFile !== undefined && Object.keys(fromFlags).length > 0) {
    throw new NetworkError('INVALID_ARGUMENT', 'give the payload either with --payload-file or with flags, not both');
  }
  if (action === 'publishRuleSet' && flags.payloadFile === undefined) {
    throw new NetworkError('INVALID_ARGUMENT', 'publishRuleSet needs --payload-file <rule set as JSON or YAML> (docs/compliance-rules.md)');
  }
  const payload = flags.payloadFile === undefined ? fromFlags : readPayloadFile(flags.payloadFile);
  const parsed = proposalInputSchema.safeParse({ action, payload });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    throw new NetworkError('INVALID_ARGUMENT', `invalid ${action} proposal:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { details: { problems } });
  }
  return parsed.data;
}
