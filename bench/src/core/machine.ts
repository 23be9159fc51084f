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
