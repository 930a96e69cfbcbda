import { parseChaincodeErrorBody, Transactions as T, type Accreditation, type Member, type Proposal, type ProposalInput, type ProposalStatus } from '@kyc-ledger/api';
import { GatewayError as FabricGatewayError } from '@hyperledger/fabric-gateway';
import { NetworkError } from '../errors';
import { connectGateway, type GatewayConnection } from '../gatewayConnection';
import type { NetworkLayout } from '../layout';
import type { ResolvedNetwork, ResolvedOrg } from '../networkConfig';

/** A banking rule set version as `registry:listRuleSets` answers it. */
export interface StoredBankingRuleSet {
  hash: string;
  ruleSet: { kind: string; scope: string; effectiveFrom: string } & Record<string, unknown>;
  publishedAt: string;
  publishedBy: string;
}

/** A governance write that committed. */
export interface GovernanceWrite {
  transactionId: string;
  blockNumber: string;
  proposal: Proposal;
}

const decode = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;

/**
 * The ledger's refusal as a coded error: the chaincode's own code (FORBIDDEN, CONFLICT, …) in
 * `details.reason`, so scripts reading `--json` can tell "already approved" from "no such proposal".
 */
function refusal(error: unknown, fn: string): Error {
  const texts = error instanceof FabricGatewayError ? [...error.details.map((d) => d.message), error.message] : [error instanceof Error ? error.message : String(error)];
  for (const text of texts) {
    const body = parseChaincodeErrorBody(text);
    if (body) return new NetworkError('LEDGER_REFUSED', `${body.code}: ${body.message}`, { details: { reason: body.code, fn, ...(body.details === undefined ? {} : { details: body.details }) }, cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The registry as one org sees it: reads with the org's client identity, proposals and approvals
 * with the org's own admin identity from its own crypto material (layout.orgAdmin), never another
 * org's. Each write waits for its commit.
 */
export class RegistryClient {
  readonly #reader: GatewayConnection;
  #admin: GatewayConnection | undefined;

  constructor(readonly net: ResolvedNetwork, readonly layout: NetworkLayout, readonly org: ResolvedOrg) {
    this.#reader = connectGateway(net, layout, org, 'user');
  }

  async #evaluate(fn: string, args: string[] = []): Promise<unknown> {
    try {
      return decode(await this.#reader.contract.evaluateTransaction(fn, ...args));
    } catch (error) {
      throw refusal(error, fn);
    }
  }

  async #submit(fn: string, args: string[]): Promise<GovernanceWrite> {
    this.#admin ??= connectGateway(this.net, this.layout, this.org, 'admin');
    const proposal = this.#admin.contract.newProposal(fn, { arguments: args });
    const transactionId = proposal.getTransactionId();
    try {
      const transaction = await proposal.endorse();
      const result = decode(transaction.getResult()) as Proposal;
      const status = await (await transaction.submit()).getStatus();
      if (!status.successful) {
        throw new NetworkError('LEDGER_REFUSED', `transaction ${transactionId} was not committed (validation code ${status.code})`, { details: { reason: 'COMMIT_FAILED', fn, validationCode: status.code, transactionId } });
      }
      return { transactionId, blockNumber: status.blockNumber.toString(), proposal: result };
    } catch (error) {
      throw error instanceof NetworkError ? error : refusal(error, fn);
    }
  }

  propose(input: ProposalInput): Promise<GovernanceWrite> {
    return this.#submit(T.REGISTRY_PROPOSE, [JSON.stringify(input)]);
  }

  approve(id: string): Promise<GovernanceWrite> {
    return this.#submit(T.REGISTRY_APPROVE, [id]);
  }

  async proposals(status?: ProposalStatus): Promise<Proposal[]> {
    return (await this.#evaluate(T.REGISTRY_LIST_PROPOSALS, [status ?? ''])) as Proposal[];
  }

  async proposal(id: string): Promise<Proposal> {
    return (await this.#evaluate(T.REGISTRY_GET_PROPOSAL, [id])) as Proposal;
  }

  async members(): Promise<Member[]> {
    return (await this.#evaluate(T.REGISTRY_LIST_MEMBERS)) as Member[];
  }

  async accreditations(): Promise<Accreditation[]> {
    return (await this.#evaluate(T.REGISTRY_LIST_ACCREDITATIONS)) as Accreditation[];
  }

  async ruleSets(): Promise<StoredBankingRuleSet[]> {
    return (await this.#evaluate(T.REGISTRY_LIST_RULE_SETS)) as StoredBankingRuleSet[];
  }

  close(): void {
    this.#reader.close();
    this.#admin?.close();
  }
}
