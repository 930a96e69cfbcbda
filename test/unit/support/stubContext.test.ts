import { expect } from 'chai';
import { createStubContext } from '../../support/stubContext';

/** The stub must refuse what Fabric v3.1.1's transaction simulator refuses (tx_simulator.go). */
describe('stubbed context: Fabric\'s private-query rules per transaction', function () {
  const C = 'coll';
  const drain = async (iterator: { next(): Promise<{ done?: boolean }>; close(): Promise<unknown> }) => {
    while (!(await iterator.next()).done);
    await iterator.close();
  };
  const failure = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a private partial-key query after any write, public or private, with Fabric\'s text', async function () {
    for (const write of ['public', 'private', 'purge'] as const) {
      const { ctx, nextTx } = createStubContext();
      nextTx();
      if (write === 'public') await ctx.stub.putState('k', Buffer.from('v'));
      else if (write === 'private') await ctx.stub.putPrivateData(C, 'k', Buffer.from('v'));
      else await ctx.stub.purgePrivateData(C, 'k');
      const message = await failure(ctx.stub.getPrivateDataByPartialCompositeKey(C, 't', []));
      expect(message, write).to.match(/^GET_STATE_BY_RANGE failed: .*Queries on pvt data is supported only in a read-only transaction$/);
    }
  });

  it('refuses every write after a private query, and starts afresh with the next transaction', async function () {
    const { ctx, nextTx, tx } = createStubContext();
    await drain(await ctx.stub.getPrivateDataByPartialCompositeKey(C, 't', []));
    expect(await failure(ctx.stub.putState('k', Buffer.from('v')))).to.contain('Transaction has already performed queries on pvt data. Writes are not allowed');
    expect(await failure(ctx.stub.purgePrivateData(C, 'k'))).to.contain('Writes are not allowed');
    nextTx();
    await ctx.stub.putPrivateData(C, 'k', Buffer.from('v'));
    // Point reads stay allowed in a writing transaction (and see the state before it) …
    expect(Buffer.from(await ctx.stub.getPrivateData(C, 'k')).toString()).to.equal('');
    nextTx();
    expect(Buffer.from(await ctx.stub.getPrivateData(C, 'k')).toString()).to.equal('v');
    // … and a new transaction may query again.
    await tx(async () => drain(await ctx.stub.getPrivateDataByPartialCompositeKey(C, 't', [])));
  });
});
