import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/index.js';
import { waitForFrame } from './fixtures/frames.js';
import { scenario } from './fixtures/scenario.js';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function showDetail(feed: string, columns = 80) {
  const { source, poller } = scenario();
  const instance = render(
    <App
      source={source}
      poller={poller}
      recordsIntervalMs={0}
      size={{ columns, rows: 24 }}
      initialUi={{ screen: 'detail', selected: feed }}
    />,
  );
  unmount = instance.unmount;
  return { ...instance, source };
}

describe('feed detail', () => {
  it('shows a disk feed: identity, counters, storage, schema, decoded records and latency', async () => {
    const { lastFrame } = showDetail('trades');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Receive→read latency (recv_us)'));
    expect(frame).toMatch(/^trades\s+LIVE\s+disk · UF · 32 B\/record · writer pid 4242$/m);
    expect(frame).toContain('records 1 M · 12 k/s (1 min 12 k/s) · 384 kB/s · newest now');
    expect(frame).toContain('first 2025-11-26 09:00:00.000 · last 2025-11-26 10:00:02.000 UTC');
    expect(frame).toContain('chunks 3 · 201 MB on disk · retention 3 d (drops data before 11-23 10:00)');
    expect(frame).toContain('Schema <ddQQ (time column recv_us)');
    expect(frame).toContain('price:float64@0 size:float64@8 exchange_us:uint64@16 recv_us:uint64@24');
    expect(frame).toMatch(/price\s+size\s+exchange_us\s+recv_us/);
    // Timestamps decode to a time of day with microseconds; other values print as numbers.
    expect(frame).toMatch(/100\.25\s+1\s+10:00:01\.999099\s+10:00:01\.999501/);
    expect(frame).toMatch(/100\.75\s+3\s+10:00:01\.999097\s+10:00:01\.999503/);
    expect(frame).toContain('Receive→read latency (recv_us): newest 497 µs · median of shown 498 µs');
    expect(frame).toContain('no findings');
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('shows a ring feed with capacity, fill, wraps and its readers', async () => {
    const { lastFrame } = showDetail('quotes');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('ring '));
    expect(frame).toMatch(/^quotes\s+LIVE\s+ring/m);
    expect(frame).toContain('ring 65.5 k records (1.6 MB shm) · fill 100% · wraps 7 · lost 3');
    expect(frame).toContain('readers 1, most lagging first:');
    expect(frame).toMatch(/^ {2}pid 5151 lag 12 lost 3 · seen \S+ s ago$/m);
    expect(frame).toContain('! 10:00:00 ring readers lost 3 records (lapped by the writer)');
  });

  it('lists health findings of a stale feed, and says when the schema has no receive time', async () => {
    const { lastFrame } = showDetail('events');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('no records yet'));
    expect(frame).toMatch(/^events\s+STALE/m);
    expect(frame).toContain('! 10:00:00 writer pid 4242 holds the feed but the last record was 32 s ago');
    expect(frame).toContain('no records yet');
  });

  it('keeps the newest records that fit and counts the fields it had to leave out', async () => {
    const { lastFrame } = showDetail('trades', 40);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('100.75'));
    expect(frame).toMatch(/price\s+size\s+exchange_us \+1/);
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
  });
});

describe('feed detail of a feed that is not live', () => {
  it('does not pass the age of old data off as latency', async () => {
    const { source, poller } = scenario();
    source.schemas.set('events', {
      fmt: '<QQ',
      recordSize: 16,
      tsCol: 'recv_us',
      fields: [
        { name: 'code', type: 'uint64', offset: 0, size: 8 },
        { name: 'recv_us', type: 'uint64', offset: 8, size: 8 },
      ],
    });
    source.records.set('events', [{ code: 7, recv_us: source.nowUs - 32e6 }]);
    const instance = render(
      <App
        source={source}
        poller={poller}
        recordsIntervalMs={0}
        size={{ columns: 80, rows: 24 }}
        initialUi={{ screen: 'detail', selected: 'events' }}
      />,
    );
    unmount = instance.unmount;
    const frame = await waitForFrame(instance.lastFrame, (f) => /^\s+7\s/m.test(f));
    expect(frame).toContain('Receive→read latency (recv_us): — (the feed is not live)');
  });
});
