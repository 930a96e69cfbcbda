import { expect } from 'chai';
import { isTransientFabricError, retryTransient } from '@kyc-ledger/network/dist/transientRetry';

describe('retrying Fabric\'s transient answers', function () {
  it('classifies "not ready yet" answers as transient and refusals as final', function () {
    expect(isTransientFabricError(new Error('peer channel list failed: dial tcp 127.0.0.1:7101: connect: connection refused'))).to.equal(true);
    expect(isTransientFabricError(new Error('rpc error: code = Unavailable desc = ... status: SERVICE_UNAVAILABLE, info: no Raft leader'))).to.equal(true);
    expect(isTransientFabricError(new Error('osnadmin channel list at 127.0.0.1:7051 answered 503: {}'))).to.equal(true);
    expect(isTransientFabricError(new Error('chaincode definition for kyc exists, but chaincode is not installed'))).to.equal(false);
    expect(isTransientFabricError(new Error('osnadmin channel join answered 405: cannot join: channel already exists'))).to.equal(false);
    expect(isTransientFabricError(new Error('policy evaluation failed: signature set did not satisfy policy'))).to.equal(false);
  });

  it('retries a transient failure until it succeeds', async function () {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls++;
      if (calls < 3) throw new Error('connection refused');
      return 'joined';
    }, { delayMs: 10, timeoutMs: 2000 });
    expect(result).to.equal('joined');
    expect(calls).to.equal(3);
  });

  it('never retries a failure that is not transient', async function () {
    let calls = 0;
    const error = await retryTransient(async () => {
      calls++;
      throw new Error('access denied: channel creator org unknown');
    }, { delayMs: 10, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect((error as Error).message).to.contain('access denied');
    expect(calls).to.equal(1);
  });

  it('gives up after its time bound with the last error as it was', async function () {
    let calls = 0;
    const error = await retryTransient(async () => {
      calls++;
      throw new Error(`connection refused #${calls}`);
    }, { delayMs: 50, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(calls).to.be.within(2, 8);
    expect((error as Error).message).to.equal(`connection refused #${calls}`);
  });
});
