import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  hypervisor: string | null;
  memoryGiB: number;
  os: string;
  node: string;
  hostname: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown cpu',
    cores: os.availableParallelism(),
    hypervisor: detectHypervisor(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    hostname: os.hostname(),
    loadAverage: os.loadavg()[0],
  };
}

function detectHypervisor(): string | null {
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8');
    return /^flags\s*:.*\bhypervisor\b/m.test(flags) ? 'virtual machine' : null;
  } catch {
    return null;
  }
}

export function describeMachine(info: MachineInfo): string {
  const vm = info.hypervisor ? `, ${info.hypervisor}` : '';
  return `${info.cpuModel}, ${info.cores} cores${vm}, ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}`;
}

/** A warning line when other processes already keep the cores busy, or undefined. */
export function busyWarning(info: MachineInfo): string | undefined {
  if (info.loadAverage < info.cores / 2) return undefined;
  return (
    `WARNING: load average ${info.loadAverage.toFixed(1)} on ${info.cores} cores before the run: other processes ` +
    'share the cores, so latencies include their time slices (ms, not ns). Rerun on an idle machine.'
  );
}
