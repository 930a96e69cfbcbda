import { ChaincodeError, RegistryContract } from '@kyc-ledger/chaincode';
import { GatewayError, type LedgerClient, type SubmitResult } from '@kyc-ledger/gateway';
import type { StubContext } from '../../support/stubContext';

/** One call the double saw. */
export interface RegistryCall {
  fn: string;
  args: string[];
  /** Whether it was submitted (ordered) rather than evaluated. */
  submitted: boolean;
}

const registry = new RegistryContract();
type RegistryMethod = (ctx: StubContext['ctx'], ...args: string[]) => Promise<string>;

/**
 * TEST DOUBLE. A {@link LedgerClient} that runs the real registry contract on a shared stubbed
 * context, calling as one org's identity (client or admin). Several doubles over one stub are
 * several orgs' gateways on one channel: what one submits, the others read. Chaincode errors reach
 * the routes as the gateway's coded errors, as the Fabric client translates them.
 */
export class RegistryLedger implements LedgerClient {
  readonly calls: RegistryCall[] = [];

  constructor(readonly stub: StubContext, readonly mspId: string, readonly admin: boolean) {}

  async #run(fn: string, args: readonly string[], submitted: boolean): Promise<{ result: unknown; transactionId: string }> {
    this.calls.push({ fn, args: [...args], submitted });
    const [contract, name] = fn.split(':');
    const method = (registry as unknown as Record<string, RegistryMethod | undefined>)[name ?? ''];
    if (contract !== 'registry' || typeof method !== 'function') throw new Error(`RegistryLedger runs registry functions only, not ${fn}`);
    this.stub.nextTx();
    this.stub.setCaller(this.mspId, this.admin);
    const transactionId = this.stub.ctx.stub.getTxID();
    try {
      // A read runs in a transaction too; it writes nothing, so nothing is applied.
      const text = await this.stub.tx(() => method.call(registry, this.stub.ctx, ...args));
      return { result: JSON.parse(text) as unknown, transactionId };
    } catch (error) {
      if (error instanceof ChaincodeError) throw new GatewayError(error.code, error.message, { details: error.details, transactionId });
      throw error;
    }
  }

  async submit<T>(fn: string, args: readonly string[]): Promise<SubmitResult<T>> {
    const { result, transactionId } = await this.#run(fn, args, true);
    return { result: result as T, transactionId };
  }

  async evaluate<T>(fn: string, args: readonly string[]): Promise<T> {
    return (await this.#run(fn, args, false)).result as T;
  }

  async ping(): Promise<void> {}
}
