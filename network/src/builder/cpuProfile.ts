/**
 * Loaded with `node --require` into the chaincode process by the builder's run step, only when
 * KYC_CHAINCODE_CPU_PROFILE names a directory (benchmarks set it; a network never does by itself).
 * Idle until the first SIGUSR2, which starts the profiler; each later SIGUSR2 writes what was
 * sampled since the one before as `<msp>-<pid>-<n>.cpuprofile` (Chrome DevTools format), with the
 * process CPU time of the same span in `<msp>-<pid>-<n>.json`, and starts again unless a file named
 * `off` is in the directory. The pid goes to `<msp>-<pid>.pid` on load, so the bench knows whom to signal.
 */
import { Session } from 'node:inspector';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.KYC_CHAINCODE_CPU_PROFILE;
if (dir) {
  const name = `${process.env.CORE_PEER_LOCALMSPID ?? 'chaincode'}-${process.pid}`;
  const session = new Session();
  session.connect();
  let seq = 0;
  let profiling = false;
  let since = process.cpuUsage();
  const start = () => {
    since = process.cpuUsage();
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  };
  process.on('SIGUSR2', () => {
    if (!profiling) return start();
    const cpu = process.cpuUsage(since);
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      const n = seq++;
      if (!error) writeFileSync(path.join(dir, `${name}-${n}.cpuprofile`), JSON.stringify(result.profile));
      writeFileSync(path.join(dir, `${name}-${n}.json`), JSON.stringify({ userMicros: cpu.user, systemMicros: cpu.system, error: error?.message }));
      if (!existsSync(path.join(dir, 'off'))) start();
    });
  });
  writeFileSync(path.join(dir, `${name}.pid`), String(process.pid));
}
