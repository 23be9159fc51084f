/**
 * The corruption fuzzer at length (issue #14): `pnpm --filter @deepwater/sdk fuzz:corruption [trials] [seed]`
 * (default 10 000 trials, seed 142026). Prints the tally and each kind of violation with a count;
 * exits 1 when any trial broke an invariant or died by a signal. CI runs 200 trials (test/ops/recovery).
 */
import { runFuzz } from '../test/ops/recovery/corruption-fuzz.js';

const trials = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 142_026);
const started = Date.now();
const tally = await runFuzz({
  trials,
  seed,
  batch: 100,
  onBatch: (t) =>
    process.stderr.write(
      `\r${t.trials}/${trials} trials, ${t.violations.length} violating, ${t.signals.length} signals`,
    ),
});
process.stderr.write('\n');
const kinds = new Map<string, number>();
for (const v of tally.violations) {
  for (const message of v.violations) {
    const key = `${v.target.replace(/chunk-\d+/, 'chunk-N')}: ${message.replace(/\d+/g, 'N').slice(0, 160)}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
}
const summary = {
  ...tally,
  violations: tally.violations.length,
  seconds: Math.round((Date.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`${count}\t${kind}\n`);
for (const v of tally.violations.slice(0, 10)) process.stdout.write(`${JSON.stringify(v)}\n`);
process.exitCode = tally.violations.length > 0 || tally.signals.length > 0 ? 1 : 0;
