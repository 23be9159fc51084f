// Child processes of the soak: spawned with tsx, JSON lines in, commands out, exits recorded.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentCommand } from './protocol.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class SoakChild {
  readonly role: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly startedAtS: number;
  readonly exited: Promise<ChildExit>;
  exit: ChildExit | undefined;
  /** Set before the parent SIGKILLs it on purpose. */
  plannedKill = false;
  #stderrTail = '';

  constructor(
    role: string,
    script: string,
    args: readonly (string | number)[],
    startedAtS: number,
    onMessage: (child: SoakChild, message: ChildMessage) => void,
  ) {
    this.role = role;
    this.startedAtS = startedAtS;
    this.process = spawn(process.execPath, ['--import', 'tsx', `${HERE}${script}`, ...args.map(String)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (this.process.pid === undefined) throw new Error(`could not spawn ${role} (${script})`);
    this.pid = this.process.pid;
    this.process.stdin?.on('error', () => {}); // a command to a child that just died is moot
    this.process.stderr?.setEncoding('utf8');
    this.process.stderr?.on('data', (text: string) => {
      this.#stderrTail = (this.#stderrTail + text).slice(-2000);
    });
    let buffer = '';
    this.process.stdout?.setEncoding('utf8');
    this.process.stdout?.on('data', (text: string) => {
      buffer += text;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let message: ChildMessage;
        try {
          message = JSON.parse(line) as ChildMessage;
        } catch {
          continue; // not a protocol line
        }
        onMessage(this, message);
      }
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get stderrTail(): string {
    return this.#stderrTail.trim();
  }

  command(command: ParentCommand): void {
    if (this.running) this.process.stdin?.write(`${command}\n`);
  }

  killPlanned(): Promise<ChildExit> {
    this.plannedKill = true;
    this.process.kill('SIGKILL');
    return this.exited;
  }

  /** How it ended, in words, when that was not a clean exit 0 or a planned SIGKILL; else undefined. */
  unexpectedEnd(): string | undefined {
    const exit = this.exit;
    if (exit === undefined) return undefined;
    if (exit.signal === 'SIGKILL' && this.plannedKill) return undefined;
    if (exit.code === 0) return undefined;
    const how = exit.signal !== null ? `died by ${exit.signal}` : `exited with code ${exit.code}`;
    return `${this.role} pid ${this.pid} ${how}${this.stderrTail ? `: ${this.stderrTail.split('\n').slice(-3).join(' | ')}` : ''}`;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
