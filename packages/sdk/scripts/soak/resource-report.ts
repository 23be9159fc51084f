// Resource table and growth bounds: per process, first/last/max of RSS, fds and mappings, and a
// FAIL when one grows past its bound after warm-up.
import { type ProcSample, rssKiB } from './proc-sample.js';

export const BOUNDS = {
  /** RSS (anon + file + shmem) may grow at most this much after warm-up. */
  rssGrowthMiB: 32,
  /** Open fds may grow at most this many after warm-up. */
  fdGrowth: 16,
  /** Mappings may grow to at most this multiple of the warm-up count. */
  mapsFactor: 2,
};

/** One OS process (a writer generation, a reader, the parent). */
export interface ProcessSeries {
  pid: number;
  startedAtS: number;
  samples: ProcSample[];
}

/** A role in the soak; the writer has one series per generation. */
export interface RoleSeries {
  role: string;
  processes: ProcessSeries[];
}

export interface RoleVerdict {
  role: string;
  failures: string[];
  /** Why growth was not judged, when it was not. */
  unchecked?: string;
}

const mib = (kib: number) => (kib / 1024).toFixed(1);

/** The end of a series, robust to a GC spike in the very last sample: the least of the last 3. */
function settledLast(samples: ProcSample[], value: (s: ProcSample) => number): number {
  return Math.min(...samples.slice(-3).map(value));
}

function judgeProcess(p: ProcessSeries, warmupS: number, role: string): string[] | undefined {
  const baselineIndex = p.samples.findIndex((s) => s.atS - p.startedAtS >= warmupS);
  if (baselineIndex < 0 || baselineIndex === p.samples.length - 1) return undefined;
  const base = p.samples[baselineIndex];
  const after = p.samples.slice(baselineIndex);
  const failures: string[] = [];
  const rssGrowth = settledLast(after, rssKiB) - rssKiB(base);
  if (rssGrowth > BOUNDS.rssGrowthMiB * 1024)
    failures.push(
      `${role} pid ${p.pid}: RSS grew ${mib(rssGrowth)} MiB after warm-up (${mib(rssKiB(base))} -> ${mib(rssKiB(after[after.length - 1]))} MiB; bound ${BOUNDS.rssGrowthMiB} MiB)`,
    );
  const fdGrowth = settledLast(after, (s) => s.fds) - base.fds;
  if (fdGrowth > BOUNDS.fdGrowth)
    failures.push(
      `${role} pid ${p.pid}: open fds grew by ${fdGrowth} after warm-up (${base.fds} -> bound +${BOUNDS.fdGrowth})`,
    );
  const maps = settledLast(after, (s) => s.maps);
  if (maps > BOUNDS.mapsFactor * base.maps)
    failures.push(
      `${role} pid ${p.pid}: mappings ${base.maps} -> ${maps} after warm-up (bound ${BOUNDS.mapsFactor}x)`,
    );
  return failures;
}

export function judgeRole(series: RoleSeries, warmupS: number): RoleVerdict {
  const failures: string[] = [];
  let judged = 0;
  for (const p of series.processes) {
    const result = judgeProcess(p, warmupS, series.role);
    if (result === undefined) continue;
    judged++;
    failures.push(...result);
  }
  return {
    role: series.role,
    failures,
    unchecked: judged === 0 ? `no process lived ${warmupS} s past warm-up with a later sample` : undefined,
  };
}

function firstLastMax(samples: ProcSample[], value: (s: ProcSample) => number, show: (n: number) => string) {
  if (samples.length === 0) return '-';
  const values = samples.map(value);
  return `${show(values[0])}/${show(values[values.length - 1])}/${show(Math.max(...values))}`;
}

/** The table: one row per role, first/last/max over all of its processes' samples in time order. */
export function resourceTable(roles: RoleSeries[], verdicts: RoleVerdict[]): string {
  const header = ['process', 'pids', 'samples', 'rssAnon MiB', 'rssFile+shm MiB', 'fds', 'maps', 'growth'];
  const rows = roles.map((series, i) => {
    const samples = series.processes.flatMap((p) => p.samples);
    const verdict = verdicts[i];
    const status = verdict.failures.length > 0 ? 'FAIL' : verdict.unchecked !== undefined ? 'n/a' : 'ok';
    return [
      series.role,
      series.processes.length === 1 ? String(series.processes[0].pid) : `${series.processes.length} pids`,
      String(samples.length),
      firstLastMax(samples, (s) => s.rssAnonKiB, mib),
      firstLastMax(samples, (s) => s.rssFileKiB + s.rssShmemKiB, mib),
      firstLastMax(samples, (s) => s.fds, String),
      firstLastMax(samples, (s) => s.maps, String),
      status,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
