import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { tradeSpec, useTempBase } from '../helpers/temp-base.js';

// The disk writer's 250 ms timer used to restamp lastAppendUs even when nothing was written, so an
// idle writer looked live; FeedStatus documents lastAppendUs as the time of a recent publication.
describe('lastAppendUs of a disk feed', () => {
  const t = useTempBase();

  it('stays unset until the first record, and stops moving while the writer is idle', async () => {
    const p = t.platform();
    p.createFeed(tradeSpec('idle'));
    const w = p.createWriter('idle');
    await sleep(700); // several timer periods with nothing written
    expect(p.feedStatus('idle').lastAppendUs).toBeNull();

    const before = Date.now() * 1000;
    w.writeBatch([[1, 1, 1]]); // a batch stamps the clock at once
    const stamped = p.feedStatus('idle').lastAppendUs as number;
    expect(stamped).toBeGreaterThanOrEqual(before);
    await sleep(700);
    expect(p.feedStatus('idle').lastAppendUs).toBe(stamped);

    // After an idle period the next record is stamped at once…
    w.writeValues(2, 1, 2);
    const resumed = p.feedStatus('idle').lastAppendUs as number;
    expect(resumed).toBeGreaterThan(stamped);
    // …and records right behind it leave their stamp to the timer, which still publishes it.
    w.writeValues(3, 1, 3);
    await vi.waitFor(() => expect(p.feedStatus('idle').lastAppendUs).toBeGreaterThan(resumed), {
      timeout: 10_000,
      interval: 50,
    });
    w.close();
  });
});
