import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App, Poller } from '../src/index.js';
import { FakeSource, fakeFeed } from './fixtures/fake-source.js';
import { plain, waitForFrame } from './fixtures/frames.js';
import { scenario } from './fixtures/scenario.js';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function show(element: React.ReactElement) {
  const instance = render(element);
  unmount = instance.unmount;
  return instance;
}

describe('feed table', () => {
  it('shows every feed with its state, rates, age and records at 100 columns', async () => {
    const { source, poller } = scenario();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 100, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
    expect(frame).toContain('Deepwater │ /data/deepwater │ 2025-11-26 10:00:02 UTC │ 4 feeds │ DEGRADED');
    const row = (name: string) => frame.split('\n').find((l) => l.includes(` ${name} `)) ?? '';
    expect(row('trades')).toMatch(/LIVE\s+12 k\/s\s+12 k\/s/);
    expect(row('trades')).toContain('384 kB/s');
    expect(row('trades')).toContain('1 M');
    expect(row('trades')).toContain(' now ');
    expect(row('quotes')).toMatch(/LIVE\s+250 k\/s/);
    expect(row('events')).toMatch(/STALE/);
    expect(row('events')).toContain('32 s');
    expect(row('archive')).toMatch(/IDLE/);
    expect(row('archive')).toContain('2 G');
    expect(frame).toContain('Storage: free 50 GB/100 GB │ feeds 2.3 GB │ oldest 11-16 10:00 (10 d ago)');
  });

  it('draws a sparkline of the last seconds for feeds with traffic', async () => {
    const { source, poller } = scenario();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 100, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
    const trades = frame.split('\n').find((l) => l.includes(' trades ')) ?? '';
    expect(trades).toMatch(/[▁▂▃▄▅▆▇█]/);
    const archive = frame.split('\n').find((l) => l.includes(' archive ')) ?? '';
    expect(archive).not.toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it('adds disk and ring columns on a wide terminal', async () => {
    const { source, poller } = scenario();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 180, rows: 30 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
    const header = frame.split('\n').find((l) => l.includes('FEED')) ?? '';
    for (const title of [
      'WRITER',
      'DISK',
      'CHUNKS',
      'FILL',
      'RDRS',
      'LAG',
      'LOST',
      'WRAPS',
      'FIRST',
      'LAST',
      'KEEP',
    ]) {
      expect(header).toContain(title);
    }
    const quotes = frame.split('\n').find((l) => l.includes(' quotes ')) ?? '';
    // fill, readers, max lag, lost, wraps
    expect(quotes).toMatch(/100%\s+1\s+12\s+3\s+7/);
    const archive = frame.split('\n').find((l) => l.includes(' archive ')) ?? '';
    expect(archive).toContain('forever');
  });

  it('fits an 80x24 terminal: no line wider than 80 and no more than 24 lines', async () => {
    const { source, poller } = scenario();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 80, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    // A ring feed is shown, so its readers' count, max lag and losses outrank 1MIN and MB/S.
    expect(frame).toMatch(/FEED\s+STATE\s+REC\/S\s+LAST MIN\s+AGE\s+RECORDS\s+RDRS\s+LAG\s+LOST$/m);
    const quotes = lines.find((l) => l.includes(' quotes ')) ?? '';
    expect(quotes).toMatch(/\s1\s+12\s+3$/);
  });

  it('keeps the name, state and rate readable in a narrow 50-column terminal', async () => {
    const { source, poller } = scenario();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 50, rows: 16 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(50);
    expect(frame.split('\n').length).toBeLessThanOrEqual(16);
    expect(frame).toMatch(/trades\s+LIVE\s+12 k\/s/);
    expect(frame).not.toContain('MB/S');
  });

  it('scrolls when there are more feeds than rows and says which rows are shown', async () => {
    const source = new FakeSource();
    source.feeds = Array.from({ length: 40 }, (_, i) =>
      fakeFeed({ name: `feed-${String(i).padStart(2, '0')}` }),
    );
    const poller = new Poller(source, { intervalMs: 0 });
    poller.sampleNow();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 80, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('feed-00'));
    expect(frame).toMatch(/1–\d+ of 40/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('explains an empty base instead of showing an empty table', async () => {
    const source = new FakeSource();
    const poller = new Poller(source, { intervalMs: 0 });
    poller.sampleNow();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 80, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('No feeds'));
    expect(frame).toContain('0 feeds │ EMPTY');
    expect(frame).toContain('No feeds in this base yet');
  });

  it('keeps the last numbers on screen and shows the error when the base cannot be read', async () => {
    const { source, poller } = scenario();
    source.error = 'EACCES: permission denied, open registry';
    poller.sampleNow();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 100, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('EACCES'));
    expect(frame).toContain('ERROR');
    expect(frame).toContain('trades');
  });

  it('warns in the storage line when the disk is nearly full', async () => {
    const { source, poller } = scenario();
    source.storage.diskFreeBytes = 200e6;
    poller.sampleNow();
    const { lastFrame } = show(<App source={source} poller={poller} size={{ columns: 100, rows: 24 }} />);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('free on'));
    expect(frame).toContain("! only 200 MB free on the base's filesystem");
  });
});

describe('help view', () => {
  it('lists the keys and the meaning of each state with the thresholds in force', async () => {
    const { source, poller } = scenario();
    const { lastFrame } = show(
      <App
        source={source}
        poller={poller}
        thresholds={{ liveSeconds: 2, maxAgeSeconds: 60 }}
        initialUi={{ screen: 'help' }}
        size={{ columns: 80, rows: 24 }}
      />,
    );
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Keys'));
    expect(frame).toContain('newest record at most 2 s old');
    expect(frame).toContain('writer gone without closing the feed, newest record less than 60 s old');
    expect(frame).toMatch(/\/\s+filter feeds by name/);
    expect(plain(frame).split('\n').length).toBeLessThanOrEqual(24);
  });
});

describe('header', () => {
  it.each([100, 80, 60, 44, 30])(
    'always shows the overall state and feed count at %i columns',
    async (columns) => {
      const { source, poller } = scenario();
      const { lastFrame } = show(<App source={source} poller={poller} size={{ columns, rows: 24 }} />);
      const frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
      const title = frame.split('\n')[0];
      expect(title).toMatch(/4 feeds │ DEGRADED$/);
      expect([...title].length).toBeLessThanOrEqual(columns);
      if (columns >= 60) expect(title).toMatch(/^Deepwater │ \S*deepwater │ (2025-11-26 )?10:00:02 UTC │/);
    },
  );
});
