// The soak harness (scripts/soak): its delivery checker on its own, and a ~10 s run of the whole
// harness with the writer SIGKILLed every 2 s, so CI exercises it end to end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOf, FLAG_END } from '../scripts/soak/feed.js';
import { SequenceCheck } from '../scripts/soak/sequence-check.js';

const SOAK_MAIN = fileURLToPath(new URL('../scripts/soak/main.ts', import.meta.url));

describe('soak SequenceCheck', () => {
  const feed = (check: SequenceCheck, seqs: number[]) => {
    for (const [i, seq] of seqs.entries()) check.accept(seq, 1000 + i, 0, checkOf(seq));
  };

  it('accepts 0..n once each, in order, and stops at the END record', () => {
    const check = new SequenceCheck();
    feed(check, [0, 1, 2, 3]);
    expect(check.accept(4, 2000, FLAG_END, checkOf(4))).toBe(true);
    expect(check.anomalyCount).toBe(0);
    expect(check.report).toMatchObject({ received: 5, firstSeq: 0, lastSeq: 4, sawEnd: true });
  });

  it('tells gaps, duplicates, reorders, torn records and timestamps going backwards apart', () => {
    const check = new SequenceCheck();
    feed(check, [0, 1, 3, 4, 4, 2]);
    check.accept(5, 5000, 0, checkOf(6)); // torn: the check value of another seq
    check.accept(6, 1, 0, checkOf(6)); // timestamp lower than the previous one
    expect(check.report).toMatchObject({
      gaps: 1,
      missing: 0,
      duplicates: 1,
      reorders: 1,
      torn: 1,
      tsBackwards: 1,
    });
    expect(check.report.anomalies[0]).toContain('expected seq 2, got 3');
  });
});

describe('soak harness', () => {
  let dir: string | undefined;
  let soakPid: number | undefined;
  afterEach(() => {
    // The soak leads its own process group: kill it and every child it left, even on a failure.
    if (soakPid !== undefined) {
      try {
        process.kill(-soakPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    soakPid = undefined;
  });

  it('passes a ~10 s run with the writer SIGKILLed every 2 s and retention removing chunks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dw-test-soak-'));
    const args = ['--minutes', '0.15', '--kill-every', '2', '--cleanup-every', '2', '--sample-every', '2'];
    args.push('--warmup', '4', '--rate', '5000', '--chunk-mb', '0.1', '--retention-seconds', '2');
    const soak = spawn(
      process.execPath,
      ['--import', 'tsx', SOAK_MAIN, ...args, '--base', join(dir, 'base')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    soakPid = soak.pid;
    let output = '';
    soak.stdout.on('data', (d) => {
      output += d;
    });
    soak.stderr.on('data', (d) => {
      output += d;
    });
    const code = await new Promise<number | null>((resolve) => soak.on('exit', (c) => resolve(c)));
    expect(output, output).toMatch(/^PASS$/m);
    expect(code).toBe(0);
    const kills = Number(/(\d+) planned SIGKILLs/.exec(output)?.[1]);
    expect(kills).toBeGreaterThanOrEqual(1); // a generation starts in ~1-4 s, load-dependent
    const removed = Number(/cleanup: \d+ runs removed (\d+) chunks/.exec(output)?.[1]);
    expect(removed).toBeGreaterThan(0);
  }, 120_000);
});
