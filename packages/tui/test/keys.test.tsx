import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/index.js';
import { KEYS, tick, waitForFrame } from './fixtures/frames.js';
import { scenario } from './fixtures/scenario.js';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function start(onQuit?: () => void) {
  const { source, poller } = scenario();
  const instance = render(
    <App
      source={source}
      poller={poller}
      recordsIntervalMs={0}
      size={{ columns: 100, rows: 24 }}
      onQuit={onQuit}
    />,
  );
  unmount = instance.unmount;
  return { ...instance, source, poller };
}

const selectedRow = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

async function press(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const key of keys) {
    stdin.write(key);
    await tick();
  }
}

describe('keys', () => {
  it('moves the selection with arrows and j/k, stopping at the ends', async () => {
    const { lastFrame, stdin } = start();
    let frame = await waitForFrame(lastFrame, (f) => f.includes('trades'));
    expect(selectedRow(frame)).toContain('archive');
    await press(stdin, KEYS.down, 'j');
    frame = await waitForFrame(lastFrame, (f) => selectedRow(f).includes('quotes'));
    await press(stdin, 'j', 'j', 'j');
    frame = await waitForFrame(lastFrame, (f) => selectedRow(f).includes('trades'));
    await press(stdin, KEYS.up, 'k', 'k', 'k', 'k');
    frame = await waitForFrame(lastFrame, (f) => selectedRow(f).includes('archive'));
    expect(frame).toContain('archive');
  });

  it('cycles the sort with s, reverses it with S, and keeps the selected feed selected', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    await press(stdin, 'j'); // events
    await press(stdin, 's'); // state: worst first
    let frame = await waitForFrame(lastFrame, (f) => f.includes('sort:state'));
    const order = (f: string) =>
      f
        .split('\n')
        .filter((l) => /^(›| ) \S/.test(l) && !l.includes('FEED'))
        .map((l) => l.slice(2).split(/\s+/)[0]);
    expect(order(frame).slice(0, 1)).toEqual(['events']);
    expect(selectedRow(frame)).toContain('events');
    await press(stdin, 's'); // rate: busiest first
    frame = await waitForFrame(lastFrame, (f) => f.includes('sort:rate'));
    expect(order(frame)).toEqual(['quotes', 'trades', 'archive', 'events']);
    await press(stdin, 'S');
    frame = await waitForFrame(lastFrame, (f) => f.includes('sort:rate↑'));
    expect(order(frame).slice(0, 2)).toEqual(['archive', 'events']);
  });

  it('filters with /, applies on enter, and clears with escape', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    await press(stdin, '/', 'q', 'u');
    let frame = await waitForFrame(lastFrame, (f) => f.includes('filter: /qu'));
    expect(frame).toContain('quotes');
    expect(frame).not.toContain('trades');
    await press(stdin, KEYS.enter);
    frame = await waitForFrame(lastFrame, (f) => f.includes('filter:"qu"'));
    await press(stdin, '/', 'z', 'z', KEYS.enter);
    frame = await waitForFrame(lastFrame, (f) => f.includes('No feed matches "quzz"'));
    await press(stdin, KEYS.escape);
    frame = await waitForFrame(lastFrame, (f) => f.includes('trades') && f.includes('quotes'));
    expect(frame).not.toContain('filter:"');
  });

  it('typing q inside a filter is text, and q outside quits', async () => {
    let quit = 0;
    const { lastFrame, stdin } = start(() => quit++);
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    await press(stdin, '/', 'q');
    await waitForFrame(lastFrame, (f) => f.includes('filter: /q'));
    expect(quit).toBe(0);
    await press(stdin, KEYS.escape, 'q');
    expect(quit).toBe(1);
  });

  it('opens the detail of the selected feed with enter, moves between feeds in it, and goes back with escape', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    await press(stdin, 'G', KEYS.enter);
    let frame = await waitForFrame(lastFrame, (f) => f.includes('Latest records'));
    expect(frame).toMatch(/^trades\s+LIVE/m);
    await press(stdin, 'k');
    frame = await waitForFrame(lastFrame, (f) => /^quotes\s+LIVE/m.test(f));
    await press(stdin, KEYS.escape);
    frame = await waitForFrame(lastFrame, (f) => f.includes('FEED'));
    expect(selectedRow(frame)).toContain('quotes');
  });

  it('toggles the help with ?', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    await press(stdin, '?');
    await waitForFrame(lastFrame, (f) => f.includes('Feed states'));
    await press(stdin, '?');
    await waitForFrame(lastFrame, (f) => f.includes('FEED') && !f.includes('Feed states'));
  });
});

describe('keys that arrive together', () => {
  it('handles a burst of keys in one chunk (a paste, or tmux send-keys) one by one', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    stdin.write('jj\r');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Latest records'));
    expect(frame).toMatch(/^quotes\s+LIVE/m);
  });

  it('types the rest of a burst into the filter once / has started it', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('trades'));
    stdin.write('/tr\r');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('filter:"tr"'));
    expect(frame).toContain('trades');
    expect(frame).not.toContain('quotes');
  });
});
