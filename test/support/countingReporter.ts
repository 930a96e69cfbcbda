import Mocha from 'mocha';

/**
 * Mocha's spec reporter plus one closing line in the plain "N passed, N failed" form that CI
 * reads for any runner.
 */
class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (!s) return;
      const failed = s.failures;
      console.log(`\nmocha: ${s.passes} passed, ${failed} failed, ${s.pending} skipped`);
    });
  }
}

export = CountingReporter;
