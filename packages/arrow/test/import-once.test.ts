// An import reads its file once, front to back: a named pipe (FIFO), which can only be read once,
// imports completely, into an existing feed (through the staging feed) and into a created one.
import { spawnSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '@deepwater/sdk';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.js';
import { useBase } from './helpers.js';

const t = useBase();
const RECORDS = 20_000;
const FIELDS = [
  { name: 'price', type: 'float64' },
  { name: 'size', type: 'uint32' },
  { name: 'ts', type: 'uint64' },
];

function csvText(from: number): string {
  let text = 'price,size,ts\n';
  for (let i = 0; i < RECORDS; i++) text += `${100 + i / 4},${i % 1000},${from + i}\n`;
  return text;
}

/** A FIFO whose whole content is `text`, written once by a stream the pipe's reader drains. */
function fifoWith(name: string, text: string): string {
  const path = join(t.dir(), name);
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  const out = createWriteStream(path);
  out.end(text);
  return path;
}

function tuples(p: Platform, feed: string): number[][] {
  const r = p.createReader(feed);
  try {
    return (r.range(0, Number.POSITIVE_INFINITY, { format: 'tuple' }) as unknown as unknown[][]).map((row) =>
      row.map(Number),
    );
  } finally {
    r.close();
  }
}

describe('import reads the file once', () => {
  it('imports a CSV from a named pipe into an existing feed and into a created one', async () => {
    const p = t.open();
    p.createFeed({ feedName: 'dst', fields: FIELDS, tsCol: 'ts' });
    const w = p.createWriter('dst');
    w.writeValues(1, 1, 5);
    w.close();
    const existing = await importFile({
      base: p,
      file: fifoWith('a.csv', csvText(10)),
      feed: 'dst',
      format: 'csv',
    });
    expect(existing).toEqual({ feed: 'dst', records: RECORDS, created: false });
    const rows = tuples(p, 'dst');
    expect(rows.length).toBe(RECORDS + 1);
    expect(rows[1]).toEqual([100, 0, 10]);
    expect(rows[RECORDS]).toEqual([100 + (RECORDS - 1) / 4, (RECORDS - 1) % 1000, 10 + RECORDS - 1]);

    const file = join(t.dir(), 'b.csv');
    writeFileSync(`${file}.spec.json`, JSON.stringify({ feedName: 'x', fields: FIELDS, tsCol: 'ts' }));
    fifoWith('b.csv', csvText(0));
    const created = await importFile({ base: p, file, feed: 'made', format: 'csv', create: true });
    expect(created).toEqual({ feed: 'made', records: RECORDS, created: true });
    expect(tuples(p, 'made').length).toBe(RECORDS);
    // The staging feed is gone.
    expect(
      p
        .listFeeds()
        .map((f) => f.name)
        .sort(),
    ).toEqual(['dst', 'made']);
  }, 20_000);
});
