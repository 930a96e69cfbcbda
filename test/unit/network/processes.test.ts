import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { isAlive, readProcessRecord, startProcess, stopProcess } from '@kyc-ledger/network/dist/processes';

describe('node processes', function () {
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-proc-'));
  const sleepBin = '/bin/sleep';

  it('starts detached, records the PID, and stops only what it recorded', async function () {
    const pidFile = path.join(dir, 'sleep.pid');
    const record = await startProcess({ binary: sleepBin, args: ['30'], env: {}, cwd: dir, logFile: path.join(dir, 'sleep.log'), pidFile });
    expect(readProcessRecord(pidFile)).to.deep.equal(record);
    expect(isAlive(record)).to.equal(true);
    expect(await stopProcess(pidFile, 2000)).to.equal('stopped');
    expect(isAlive(record)).to.equal(false);
    expect(existsSync(pidFile)).to.equal(false);
  });

  it('treats a recorded PID now running another program as not ours', async function () {
    const pidFile = path.join(dir, 'other.pid');
    // Our own test process: alive, but not the binary the record names.
    writeFileSync(pidFile, JSON.stringify({ pid: process.pid, binary: '/opt/fabric/bin/peer', startedAt: new Date().toISOString() }));
    expect(isAlive(readProcessRecord(pidFile))).to.equal(false);
    expect(await stopProcess(pidFile)).to.equal('not-running');
    expect(existsSync(pidFile)).to.equal(false);
  });
});
