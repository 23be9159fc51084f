#!/usr/bin/env node
/**
 * pnpm bench [--quick] [--check] [--only <pattern>] [--json <path>] [--no-pin]
 *
 * Runs the baselines (raw C ping-pong, Node Atomics ping-pong, Redis Streams) and the Deepwater
 * scenarios in one run, prints one table with ratios to the baselines, writes a JSON results file
 * and, with --check, exits 1 when a target from targets.json falls short.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, USAGE } from './core/args.js';
import { onCleanup, runCleanup } from './core/cleanup.js';
import { busyWarning, describeMachine, machineInfo } from './core/machine.js';
import { detectPinning } from './core/pinning.js';
import { FULL, QUICK } from './core/profile.js';
import { computeRatios } from './core/ratios.js';
import type { ResultRow } from './core/result.js';
import type { ScenarioContext } from './core/scenario.js';
import { renderTable } from './core/table.js';
import { evaluateTargets, loadTargets, renderTargets } from './core/targets.js';
import { SCENARIOS } from './scenarios.js';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.list) {
    for (const scenario of SCENARIOS) console.log(`${scenario.id.padEnd(24)} ${scenario.title}`);
    return 0;
  }
  const profile = args.quick ? QUICK : FULL;
  const targets = loadTargets(args.targetsPath ? pathToFileURL(path.resolve(args.targetsPath)) : undefined);
  const selected = SCENARIOS.filter((scenario) => !args.only || args.only.test(scenario.id));
  if (selected.length === 0) throw new Error(`--only ${args.only} matches no scenario; see --list`);

  const machine = machineInfo();
  const pinning = detectPinning({ disabled: args.noPin });
  const startedAt = new Date();
  const command = `pnpm bench ${process.argv.slice(2).join(' ')}`.trim();
  const header = [
    `Deepwater bench — ${profile.name} profile — ${startedAt.toISOString()}`,
    `command:  ${command}`,
    `machine:  ${describeMachine(machine)}`,
    `pinning:  ${pinning.detail}`,
    'clock:    process.hrtime() = CLOCK_MONOTONIC, one clock shared by every process on Linux',
    'latency:  one-way, arrival − intended send time (fixed-rate sender, no coordinated omission), warm-up excluded',
    `figures:  medians across repetitions; "min/med/max" shows the spread of the headline figure across runs`,
    `load:     ${machine.loadAverage.toFixed(2)} (1-minute load average at start)`,
  ];
  const warning = busyWarning(machine);
  if (warning) header.push(warning);
  console.log(header.join('\n'));
  console.log('');

  const context: ScenarioContext = {
    profile,
    pinning,
    tempDir(prefix) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `dw-bench-${prefix}-`));
      onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    log(message) {
      process.stderr.write(`  … ${message}\n`);
    },
  };

  const rows: ResultRow[] = [];
  for (const scenario of selected) {
    const began = Date.now();
    process.stderr.write(`▶ ${scenario.id}: ${scenario.title}\n`);
    try {
      rows.push(...(await scenario.run(context)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`  ✗ ${scenario.id} failed: ${reason}\n`);
      rows.push({ id: scenario.id, section: scenario.title, label: scenario.id, unavailable: reason });
    }
    process.stderr.write(`  ✓ ${scenario.id} in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
  }
  computeRatios(rows);

  console.log(renderTable(rows));
  const legend = [
    '÷raw:   this latency ÷ the raw C ping-pong p50 of this run (1.0× = the hardware limit; lower is better)',
    'Redis÷: Redis cost ÷ Deepwater cost for the same job in this run (higher = Deepwater ahead)',
  ];
  console.log(legend.join('\n'));
  console.log('');

  const targetResults = evaluateTargets(targets, rows);
  console.log(renderTargets(targetResults, args.targetsPath ?? 'bench/targets.json'));
  const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;
  const loadAtEnd = os.loadavg()[0];
  console.log(
    `\nfinished in ${elapsedSeconds.toFixed(0)} s; load average at the end ${loadAtEnd.toFixed(2)}`,
  );

  const jsonPath = path.resolve(
    args.jsonPath ??
      path.join(
        BENCH_DIR,
        'results',
        `${startedAt.toISOString().replace(/[:.]/g, '-')}-${profile.name}.json`,
      ),
  );
  mkdirSync(path.dirname(jsonPath), { recursive: true });
  const results = {
    date: startedAt.toISOString(),
    command,
    profile,
    machine,
    pinning,
    clock: 'process.hrtime.bigint() (CLOCK_MONOTONIC, shared across processes)',
    elapsedSeconds,
    loadAverageAtEnd: loadAtEnd,
    rows,
    targets: targetResults.map(({ target, verdict, detail, measured, bound }) => ({
      id: target.id,
      text: target.text,
      verdict,
      detail,
      measured,
      bound,
    })),
  };
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results:  ${path.relative(process.cwd(), jsonPath) || jsonPath}`);

  if (args.check) {
    const failed = targetResults.filter((result) => result.verdict === 'fail');
    if (failed.length > 0) {
      console.log(
        `\n--check: ${failed.length} target(s) fall short: ${failed.map((r) => r.target.id).join(', ')}`,
      );
      return 1;
    }
    console.log('\n--check: every measured target is met');
  }
  return 0;
}

main().then(
  (code) => {
    runCleanup();
    process.exit(code);
  },
  (error: unknown) => {
    runCleanup();
    console.error(
      error instanceof Error ? (process.env.DW_BENCH_DEBUG ? error.stack : error.message) : String(error),
    );
    process.exit(2);
  },
);
