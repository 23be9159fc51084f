// The soak's final output: delivery per reader, writer and cleanup totals, the resource table, and
// PASS only when every check holds.
import type { Platform } from '../../src/index.js';
import { FEED } from './feed.js';
import type { SoakOptions } from './options.js';
import { READER_ROLES } from './protocol.js';
import { BOUNDS, judgeRole, resourceTable } from './resource-report.js';
import type { SoakResult } from './soak-run.js';

const k = (n: number) => n.toLocaleString('en-US');

/** Checks one reader saw seq 0..finalSeq, each once, in order, and nothing torn. */
function readerFailures(result: SoakResult): string[] {
  const failures: string[] = [];
  for (const role of READER_ROLES) {
    const r = result.readerReports.get(role);
    if (r === undefined) {
      failures.push(`${role}: no final report`);
      continue;
    }
    const problems: string[] = [];
    if (r.gaps > 0) problems.push(`${r.gaps} gaps (${r.missing} seqs missing)`);
    if (r.duplicates > 0) problems.push(`${r.duplicates} duplicates`);
    if (r.reorders > 0) problems.push(`${r.reorders} reordered`);
    if (r.torn > 0) problems.push(`${r.torn} torn`);
    if (r.tsBackwards > 0) problems.push(`${r.tsBackwards} timestamps going backwards`);
    if (r.firstSeq !== 0) problems.push(`first seq ${r.firstSeq}, expected 0`);
    if (
      result.finalSeq !== undefined &&
      (r.lastSeq !== result.finalSeq || r.received !== result.finalSeq + 1)
    )
      problems.push(
        `received ${k(r.received)} ending at seq ${r.lastSeq}, expected ${k(result.finalSeq + 1)} ending at ${result.finalSeq}`,
      );
    if (!r.sawEnd) problems.push('never saw the END record');
    if (problems.length > 0)
      failures.push(
        `${role}: ${problems.join('; ')}${r.anomalies.length ? ` — first: ${r.anomalies.join(' / ')}` : ''}`,
      );
  }
  return failures;
}

/** What the feed still holds after the final cleanup must be one contiguous run ending at the END record. */
function retainedFailures(
  platform: Platform,
  finalSeq: number | undefined,
): { line: string; failures: string[] } {
  const reader = platform.createReader(FEED);
  try {
    const cols = reader.range(0, Number.MAX_SAFE_INTEGER, { format: 'columnar' });
    const seqs = cols.seq as unknown as ArrayLike<number>;
    const n = seqs.length;
    if (n === 0) return { line: 'feed holds no records', failures: ['the feed holds no records at the end'] };
    const first = Number(seqs[0]);
    const last = Number(seqs[n - 1]);
    let breaks = 0;
    for (let i = 1; i < n; i++) if (Number(seqs[i]) !== Number(seqs[i - 1]) + 1) breaks++;
    const failures: string[] = [];
    if (breaks > 0) failures.push(`range() over the retained chunks: ${breaks} breaks in the seq run`);
    if (finalSeq !== undefined && last !== finalSeq)
      failures.push(`range(): last retained seq ${last}, expected ${finalSeq}`);
    const chunks = platform.feedStatus(FEED).chunkCount;
    return {
      line: `feed holds seq ${k(first)}..${k(last)} (${k(n)} records in ${chunks} chunk${chunks === 1 ? '' : 's'}) after the final cleanup`,
      failures,
    };
  } finally {
    reader.close();
  }
}

export function printVerdict(result: SoakResult, options: SoakOptions, platform: Platform): boolean {
  const failures = [...result.failures, ...readerFailures(result)];
  console.log('');
  console.log(
    `soak: ${(result.writingS / 60).toFixed(1)} min of writing (then ${result.drainS.toFixed(0)} s to finish), rate ${k(options.rate)} rec/s, writer SIGKILLed every ${options.killEvery} s, ` +
      `cleanup every ${options.cleanupEvery} s, chunks ${options.chunkMb} MiB, retention ${options.retentionSeconds} s`,
  );
  console.log(
    `writer: ${result.generations} generations, ${result.plannedKills} planned SIGKILLs, END record at seq ${result.finalSeq ?? '-'}`,
  );
  console.log('readers (each from seq 0 to the END record):');
  for (const role of READER_ROLES) {
    const r = result.readerReports.get(role);
    console.log(
      r === undefined
        ? `  ${role.padEnd(12)} no report`
        : `  ${role.padEnd(12)} received ${k(r.received).padStart(11)}  seq ${r.firstSeq}..${r.lastSeq}  gaps ${r.gaps} (missing ${r.missing})  duplicates ${r.duplicates}  reordered ${r.reorders}  torn ${r.torn}  ts-backwards ${r.tsBackwards}`,
    );
  }
  const c = result.cleanup;
  console.log(
    `cleanup: ${c.runs} runs removed ${c.deletedChunks} chunks (${(c.bytesFreed / 1048576).toFixed(1)} MiB); ` +
      `${c.stoppedAtReader} runs stopped at a live reader's chunk (keeping it and all later ones); errors ${c.errors.length}`,
  );
  const retained = retainedFailures(platform, result.finalSeq);
  console.log(`retained: ${retained.line}`);
  failures.push(...retained.failures);
  if (c.deletedChunks === 0) failures.push('cleanup removed no chunk: retention was not exercised');

  const verdicts = result.resources.map((series) => judgeRole(series, options.warmup));
  console.log('');
  console.log(
    `resources (first/last/max over ${options.sampleEvery}-s samples; growth judged from each process's first sample after ${options.warmup} s: ` +
      `RSS +${BOUNDS.rssGrowthMiB} MiB, fds +${BOUNDS.fdGrowth}, maps x${BOUNDS.mapsFactor}, on the least of the last 3 samples):`,
  );
  console.log(resourceTable(result.resources, verdicts));
  for (const v of verdicts) failures.push(...v.failures);

  console.log('');
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(failures.length === 0 ? 'PASS' : `FAIL (${failures.length} problems)`);
  return failures.length === 0;
}
