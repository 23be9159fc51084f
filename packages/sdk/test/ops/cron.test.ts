import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cronSchedule, installCron, systemCrontab, uninstallCron } from '../../src/ops/cron.js';
import { writeFakeCrontab } from './helpers/fake-crontab.js';

describe('cron entries for cleanup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dw-test-cron-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs once, reports unchanged on repeat, updates on a new interval, keeps other lines', () => {
    const fake = writeFakeCrontab(dir);
    writeFileSync(fake.table, 'MAILTO=ops@example.com\n0 3 * * * /usr/bin/backup\n');
    const store = systemCrontab(fake.command);
    const options = { basePath: join(dir, 'data'), intervalMinutes: 15, cliPath: '/opt/dw/main.js' };

    const first = installCron(store, options);
    expect(first.action).toBe('installed');
    expect(first.entry).toMatch(/^\*\/15 \* \* \* \* .*'\/opt\/dw\/main\.js' cleanup --base-path '.*data'/);
    expect(installCron(store, options).action).toBe('unchanged');

    const updated = installCron(store, { ...options, intervalMinutes: 120 });
    expect(updated).toMatchObject({ action: 'updated', previous: first.entry });
    expect(updated.entry).toMatch(/^0 \*\/2 \* \* \* /);

    const lines = readFileSync(fake.table, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(['MAILTO=ops@example.com', '0 3 * * * /usr/bin/backup', updated.entry]);
  });

  it('uninstalls only its own base and says when there was nothing to remove', () => {
    const fake = writeFakeCrontab(dir);
    const store = systemCrontab(fake.command);
    const a = installCron(store, { basePath: join(dir, 'a'), intervalMinutes: 5 });
    const b = installCron(store, { basePath: join(dir, 'b'), intervalMinutes: 5 });
    expect(uninstallCron(store, { basePath: join(dir, 'a') })).toMatchObject({
      action: 'removed',
      previous: a.entry,
    });
    expect(readFileSync(fake.table, 'utf8')).toBe(`${b.entry}\n`);
    expect(uninstallCron(store, { basePath: join(dir, 'a') }).action).toBe('absent');
  });

  it('treats "no crontab for user" as an empty table and reports a missing crontab program', () => {
    const fake = writeFakeCrontab(dir);
    expect(existsSync(fake.table)).toBe(false);
    expect(systemCrontab(fake.command).read()).toBe('');
    expect(() => systemCrontab(join(dir, 'no-such-crontab')).read()).toThrow(/cannot run .*ENOENT/);
  });

  it('rejects intervals cron cannot express', () => {
    expect(cronSchedule(1)).toBe('*/1 * * * *');
    expect(cronSchedule(1440)).toBe('0 0 * * *');
    expect(() => cronSchedule(0)).toThrow(/--interval/);
    expect(() => cronSchedule(90)).toThrow(/cannot be expressed/);
  });
});
