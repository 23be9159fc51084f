import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** Whether processes can be pinned with `taskset -c`, and onto how many cpus. */
export interface Pinning {
  available: boolean;
  cpuCount: number;
  /** Cpus this process may run on (from taskset -p), or why pinning is off. */
  detail: string;
}

export function detectPinning(options: { disabled?: boolean } = {}): Pinning {
  const cpuCount = os.availableParallelism();
  if (options.disabled)
    return { available: false, cpuCount, detail: 'no pinning (--no-pin): the OS places every process' };
  const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', ''], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error ? probe.error.message : (probe.stderr || `exit ${probe.status}`).trim();
    return { available: false, cpuCount, detail: `no pinning (taskset: ${reason})` };
  }
  if (cpuCount < 2) return { available: false, cpuCount, detail: 'no pinning (one cpu)' };
  const affinity = spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
  const allowed = affinity.stdout?.split(':').pop()?.trim() ?? '?';
  return {
    available: true,
    cpuCount,
    detail: `taskset -c: writer/ping on cpu 0, reader/pong on cpu 1 (allowed: ${allowed})`,
  };
}
