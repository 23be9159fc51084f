import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { F_WAITERS_OFFSET } from '../../src/registry/layout.js';
import { useChildren } from '../helpers/child.js';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// A reader killed while parked left the feed's `waiters` word raised forever, so the writer paid a
// futex wake (~180 ns) on every publication from then on.
describe('a reader killed while parked', () => {
  const t = useTempBase();
  const spawnChild = useChildren();

  async function until(condition: () => boolean): Promise<boolean> {
    for (let i = 0; i < 200; i++) {
      if (condition()) return true;
      await sleep(50);
    }
    return condition();
  }

  it('has its share of the waiters word taken back by the writer', async () => {
    const p = t.platform();
    p.createFeed(tradeSpec('parked'));
    const w = p.createWriter('parked');
    const registryPath = join(t.base(), 'feeds', 'parked', 'chunks.reg');
    const waiters = () => readFileSync(registryPath).readInt32LE(F_WAITERS_OFFSET);

    const reader = spawnChild('park-reader.ts', [t.base(), 'parked']);
    await reader.line('ready');
    expect(await until(() => waiters() === 1)).toBe(true);
    w.writeValues(1, 1, 1); // wakes it; it prints the record and parks again
    expect(await reader.line('record')).toEqual({ record: [1, 1, 1] });
    expect(await until(() => waiters() === 1)).toBe(true);

    reader.process.kill('SIGKILL');
    await reader.exited;
    expect(await until(() => waiters() === 0)).toBe(true);
    w.close();
  });
});
