import { readFileSync } from 'node:fs';

/** The part of Caliper's connector (its `sutAdapter`) a workload calls: one Fabric request. */
export interface CaliperConnector {
  sendRequests(request: CaliperFabricRequest): Promise<unknown>;
}

/** A request for Caliper 0.6's Fabric peer-gateway connector (its `FabricRequestSettings`). */
export interface CaliperFabricRequest {
  contractId: string;
  contractFunction: string;
  contractArguments: string[];
  invokerMspId: string;
  invokerIdentity: string;
  readOnly: boolean;
}

/** What runCaliper.ts writes for the workers before Caliper starts: signed inputs and ids made through the gateways. */
export interface CaliperData {
  chaincode: string;
  /** Distinguishes this run's probe keys from any earlier run's on the same ledger. */
  runTag: string;
  /** `attestation:register` inputs (JSON), each signed by its own fresh subject key; each may be used once. */
  registerRequests: string[];
  /** Attestations on the ledger, for status reads. */
  attestationIds: string[];
  /** `transfer:detect` inputs (canonical JSON) against the set-up asset. */
  transferChecks: string[];
}

/** The arguments every kyc-ledger workload takes from the round's `workload.arguments`. */
export interface WorkloadArguments {
  dataFile: string;
  /** For single-use inputs: where this round's share starts, so rounds never reuse one. */
  offset?: number;
}

/**
 * Caliper's workload module contract (initialize, submit, clean up) without its base class: the
 * workers load this file by path from outside Caliper's install directory, where
 * `@hyperledger/caliper-core` does not resolve. Each worker takes every `totalWorkers`-th item
 * from its own index on, so workers never share a single-use input.
 */
export abstract class KycWorkload {
  protected data!: CaliperData;
  protected connector!: CaliperConnector;
  protected workerIndex = 0;
  protected totalWorkers = 1;
  protected roundIndex = 0;
  protected offset = 0;
  protected sent = 0;

  async initializeWorkloadModule(workerIndex: number, totalWorkers: number, roundIndex: number, roundArguments: WorkloadArguments, sutAdapter: CaliperConnector): Promise<void> {
    this.workerIndex = workerIndex;
    this.totalWorkers = totalWorkers;
    this.roundIndex = roundIndex;
    this.offset = roundArguments.offset ?? 0;
    this.connector = sutAdapter;
    this.data = JSON.parse(readFileSync(roundArguments.dataFile, 'utf8')) as CaliperData;
  }

  /** This worker's n-th index into a shared list (`offset` on, interleaved with the other workers). */
  protected nextIndex(): number {
    return this.offset + this.sent++ * this.totalWorkers + this.workerIndex;
  }

  protected send(contractFunction: string, args: string[], invoker: { mspId: string; identity: string }, readOnly: boolean): Promise<unknown> {
    return this.connector.sendRequests({
      contractId: this.data.chaincode,
      contractFunction,
      contractArguments: args,
      invokerMspId: invoker.mspId,
      invokerIdentity: invoker.identity,
      readOnly,
    });
  }

  abstract submitTransaction(): Promise<unknown>;

  async cleanupWorkloadModule(): Promise<void> {}
}
