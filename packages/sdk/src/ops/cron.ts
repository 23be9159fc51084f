import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeepwaterError, DeepwaterRangeError } from '@deepwater/errors';

/**
 * The crontab entry that runs `deepwater cleanup` for one base. Entries are tagged with the base's
 * absolute path, so install is idempotent (re-installing replaces the entry), uninstall removes only
 * that base's entry, and the operator's other cron lines are never touched.
 */
export const CRON_TAG_PREFIX = '# deepwater-cleanup base=';

/** Reads and replaces the current user's crontab; a fake one in tests (DEEPWATER_CRONTAB_CMD). */
export interface CrontabStore {
  read(): string;
  write(content: string): void;
}

export type CronAction = 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent';

export interface CronChange {
  action: CronAction;
  /** The entry now in the crontab for this base (null after uninstall). */
  entry: string | null;
  /** The entry that was there before (null when there was none). */
  previous: string | null;
}

/** The `crontab` program as a store: `crontab -l` to read, `crontab -` to replace. */
export function systemCrontab(command = 'crontab', env: NodeJS.ProcessEnv = process.env): CrontabStore {
  const run = (args: string[], input?: string) => {
    const result = spawnSync(command, args, { input, encoding: 'utf8', env });
    if (result.error) {
      const reason = (result.error as NodeJS.ErrnoException).code ?? result.error.message;
      throw new DeepwaterError('ERR_CRONTAB', `cannot run "${command} ${args.join(' ')}": ${reason}`);
    }
    return result;
  };
  return {
    read() {
      const result = run(['-l']);
      if (result.status === 0) return result.stdout;
      // An empty crontab is reported as an error ("no crontab for alice"); it is simply empty.
      if (/no crontab/i.test(result.stderr)) return '';
      throw new DeepwaterError(
        'ERR_CRONTAB',
        `"${command} -l" failed (exit ${result.status}): ${result.stderr.trim()}`,
      );
    },
    write(content) {
      const result = run(['-'], content);
      if (result.status !== 0) {
        throw new DeepwaterError(
          'ERR_CRONTAB',
          `"${command} -" failed (exit ${result.status}): ${result.stderr.trim()}`,
        );
      }
    },
  };
}

/** `*\/N * * * *` for 1..59 minutes, `0 *\/H * * *` for whole hours up to a day. */
export function cronSchedule(intervalMinutes: number): string {
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1) {
    throw new DeepwaterRangeError(
      `--interval must be a whole number of minutes >= 1, got ${intervalMinutes}`,
    );
  }
  if (intervalMinutes < 60) return `*/${intervalMinutes} * * * *`;
  if (intervalMinutes % 60 === 0 && intervalMinutes <= 1440) {
    const hours = intervalMinutes / 60;
    return hours === 24 ? '0 0 * * *' : `0 */${hours} * * *`;
  }
  throw new DeepwaterRangeError(
    `--interval ${intervalMinutes} cannot be expressed in cron: use 1-59 minutes or whole hours up to 1440`,
  );
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CronEntryOptions {
  basePath: string;
  intervalMinutes: number;
  /** Node binary for the entry; default the one running now (cron's PATH rarely has nvm's node). */
  nodePath?: string;
  /** The built CLI entry; default this package's dist/cli/main.js. */
  cliPath?: string;
}

export function cronEntry(options: CronEntryOptions): string {
  const base = resolve(options.basePath);
  const node = options.nodePath ?? process.execPath;
  const cli = options.cliPath ?? fileURLToPath(new URL('../cli/main.js', import.meta.url));
  // cleanup logs what it deletes into <base>/deepwater.log, so cron's own output is not kept.
  const command = `${shellQuote(node)} ${shellQuote(cli)} cleanup --base-path ${shellQuote(base)} >/dev/null 2>&1`;
  return `${cronSchedule(options.intervalMinutes)} ${command} ${CRON_TAG_PREFIX}${base}`;
}

function isEntryFor(line: string, base: string): boolean {
  return line.endsWith(`${CRON_TAG_PREFIX}${base}`);
}

function splitLines(content: string): string[] {
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function installCron(store: CrontabStore, options: CronEntryOptions): CronChange {
  const base = resolve(options.basePath);
  const entry = cronEntry(options);
  const lines = splitLines(store.read());
  const existing = lines.filter((l) => isEntryFor(l, base));
  if (existing.length === 1 && existing[0] === entry) {
    return { action: 'unchanged', entry, previous: entry };
  }
  const kept = lines.filter((l) => !isEntryFor(l, base));
  store.write(joinLines([...kept, entry]));
  return { action: existing.length > 0 ? 'updated' : 'installed', entry, previous: existing[0] ?? null };
}

export function uninstallCron(store: CrontabStore, options: { basePath: string }): CronChange {
  const base = resolve(options.basePath);
  const lines = splitLines(store.read());
  const existing = lines.filter((l) => isEntryFor(l, base));
  if (existing.length === 0) return { action: 'absent', entry: null, previous: null };
  store.write(joinLines(lines.filter((l) => !isEntryFor(l, base))));
  return { action: 'removed', entry: null, previous: existing[0] };
}
