import { readFileSync } from 'node:fs';
import { formatNanos, formatRate } from './format.js';
import type { ResultRow } from './result.js';
import { spreadOf } from './spread.js';
import { percentileAcrossReps } from './spread-of-row.js';

export type TargetStat = 'p50' | 'p90' | 'p99' | 'p999' | 'rate';

export interface Target {
  id: string;
  source: string;
  text: string;
  row: string;
  stat: TargetStat;
  max?: number;
  min?: number;
  relativeTo?: string;
  factor?: number;
  noLoss?: boolean;
  /** Also requires the row's heapGrowthBytes (the worst repetition) to stay below this. */
  maxHeapGrowthBytes?: number;
  pending?: string;
  /** Why this target is kept for reference only: it is evaluated and shown, never fails --check. */
  informational?: string;
}

export type Verdict = 'pass' | 'fail' | 'not run' | 'pending' | 'info';

export interface TargetResult {
  target: Target;
  verdict: Verdict;
  /** The measured figure and the bound it was held to, in words. */
  detail: string;
  measured?: number;
  bound?: number;
}

const TARGETS_URL = new URL('../../targets.json', import.meta.url);

export function loadTargets(url: URL = TARGETS_URL): Target[] {
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as { targets?: Target[] };
  if (!Array.isArray(parsed.targets)) throw new Error(`${url.pathname}: expected a "targets" array`);
  for (const target of parsed.targets) {
    const bounded = target.max !== undefined || target.min !== undefined || target.factor !== undefined;
    if (!target.id || !target.row || !target.stat || !bounded) {
      throw new Error(
        `${url.pathname}: target ${JSON.stringify(target.id ?? target)} needs id, row, stat and a bound`,
      );
    }
  }
  return parsed.targets;
}

/** The median across repetitions of a row's stat, or undefined when the row was not measured. */
export function statOf(row: ResultRow | undefined, stat: TargetStat): number | undefined {
  const metric = row?.metric;
  if (!metric) return undefined;
  if (stat === 'rate') {
    if (metric.kind === 'rate') return spreadOf(metric.reps).median;
    if (metric.kind === 'cost') return spreadOf(metric.ratesPerSecond).median;
    return undefined;
  }
  if (metric.kind === 'rate') return undefined;
  return percentileAcrossReps(metric.reps, stat);
}

export function evaluateTargets(targets: readonly Target[], rows: readonly ResultRow[]): TargetResult[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return targets.map((target) => informational(evaluate(target, byId)));
}

/** An informational target's verdict says whether it was met, but it is never a failure. */
function informational(result: TargetResult): TargetResult {
  const reason = result.target.informational;
  if (reason === undefined || (result.verdict !== 'pass' && result.verdict !== 'fail')) return result;
  const met = result.verdict === 'pass' ? 'met' : 'not met';
  return { ...result, verdict: 'info', detail: `${met}: ${result.detail} (informational: ${reason})` };
}

function evaluate(target: Target, byId: Map<string, ResultRow>): TargetResult {
  if (target.pending) return { target, verdict: 'pending', detail: `pending: ${target.pending}` };
  const row = byId.get(target.row);
  if (!row) return { target, verdict: 'not run', detail: `row ${target.row} was not run (--only?)` };
  if (!row.metric) return { target, verdict: 'fail', detail: `unavailable: ${row.unavailable}` };
  const measured = statOf(row, target.stat);
  if (measured === undefined) return { target, verdict: 'fail', detail: `row has no ${target.stat}` };
  const show = (value: number) => (target.stat === 'rate' ? formatRate(value) : formatNanos(value));

  let bound = target.max ?? target.min;
  let boundText = '';
  if (target.relativeTo !== undefined) {
    const reference = statOf(byId.get(target.relativeTo), target.stat);
    if (reference === undefined) {
      return { target, verdict: 'fail', detail: `reference row ${target.relativeTo} was not measured` };
    }
    bound = reference * (target.factor ?? 1);
    boundText = ` (${target.factor}× ${target.relativeTo} ${show(reference)})`;
  }
  if (bound === undefined) return { target, verdict: 'fail', detail: 'target has no bound' };
  // A relative bound caps a latency or cost, but is a floor for a rate (higher is better).
  const upper = target.max !== undefined || (target.relativeTo !== undefined && target.stat !== 'rate');
  let pass = upper ? measured <= bound : measured >= bound;
  let detail = `${target.stat} ${show(measured)} ${upper ? '<=' : '>='} ${show(bound)}${boundText}`;
  if (target.noLoss && (row.lostRecords ?? 0) > 0) {
    pass = false;
    detail += `; reader lost ${row.lostRecords} records`;
  }
  if (target.maxHeapGrowthBytes !== undefined) {
    const growth = row.heapGrowthBytes;
    if (growth === undefined || growth >= target.maxHeapGrowthBytes) {
      pass = false;
      detail += `; heap grew ${growth === undefined ? 'by an unmeasured amount' : `${growth} bytes`} (< ${target.maxHeapGrowthBytes} required)`;
    } else detail += `; heap grew ${growth} bytes`;
  }
  if (row.scaledDown) detail += `; measured on ${row.scaledDown}`;
  return { target, verdict: pass ? 'pass' : 'fail', detail, measured, bound };
}

export function renderTargets(results: readonly TargetResult[], source: string): string {
  const lines = [`== Targets (${source}) ==`];
  const width = Math.max(...results.map((r) => r.target.id.length));
  for (const result of results) {
    const mark = { pass: 'PASS', fail: 'FAIL', 'not run': 'SKIP', pending: 'TODO', info: 'INFO' }[
      result.verdict
    ];
    lines.push(`${mark}  ${result.target.id.padEnd(width)}  ${result.target.text}: ${result.detail}`);
  }
  return lines.join('\n');
}
