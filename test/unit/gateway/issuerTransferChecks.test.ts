import { expect } from 'chai';
import type { LedgerClient, SubmitResult, TransferCheck } from '@kyc-ledger/gateway';
import { issuerRoutes } from '@kyc-ledger/gateway/dist/issuerRoutes';
import type { RequestContext } from '@kyc-ledger/gateway/dist/requestContext';

const TO = 'eip155:1:0xab5801a7d398351b8be11c439e05c5b3259aec9b';

/** The issuer routes over a ledger that records calls and a transfer-check view double. */
function routes(now: Date) {
  const calls = { evaluates: [] as string[], detects: [] as { check: TransferCheck; at: Date }[], committed: [] as bigint[] };
  const ledger = {
    async evaluate<T>(fn: string): Promise<T> { calls.evaluates.push(fn); return { code: 0, reasons: [] } as T; },
    async submit<T>(): Promise<SubmitResult<T>> { return { result: { recorded: true } as T, transactionId: 'tx1', blockNumber: 41n }; },
    async ping() {},
  } satisfies LedgerClient;
  const transferChecks = {
    async detect(check: TransferCheck, at: Date) { calls.detects.push({ check, at }); return { code: 16, name: 'RECIPIENT_NOT_REGISTERED', reasons: [{ code: 16, name: 'RECIPIENT_NOT_REGISTERED', party: 'to' }] }; },
    committed(blockNumber: bigint) { calls.committed.push(blockNumber); },
  };
  const list = issuerRoutes({ ledger, mspId: 'Issuer1MSP', transferChecks, now: () => now });
  const handler = (id: string) => {
    const route = list.find((r) => r.operationId === id);
    if (!route) throw new Error(`no route ${id}`);
    return (params: unknown, body: unknown) => route.handler({ params, body, query: undefined, context: {} as RequestContext } as never);
  };
  return { calls, handler };
}

describe('issuer routes: transfer checks through the transfer-check view', function () {
  it('asks the view (not the peer) with the request time, and adds the messages in the wanted locale', async function () {
    const now = new Date('2026-07-01T10:00:00.123Z');
    const { calls, handler } = routes(now);
    const reply = await handler('checkTransfer')({ asset: 'BOND-1' }, { to: TO, amount: '5', locale: 'de' });
    expect(calls.detects).to.deep.equal([{ check: { asset: 'BOND-1', to: TO, amount: '5' }, at: now }]);
    expect(calls.evaluates).to.deep.equal([]);
    const body = (reply as { body: unknown }).body as { message: string; reasons: { message: string }[] };
    expect(body.message).to.be.a('string').and.not.equal('');
    expect(body.reasons[0]?.message).to.be.a('string').and.not.equal('');
  });

  it('tells the view the block of every write made through the gateway', async function () {
    const { calls, handler } = routes(new Date());
    await handler('executeTransfer')({ asset: 'BOND-1' }, { to: TO, amount: '5' });
    await handler('freezeAsset')({ asset: 'BOND-1' }, undefined);
    expect(calls.committed).to.deep.equal([41n, 41n]);
  });
});
