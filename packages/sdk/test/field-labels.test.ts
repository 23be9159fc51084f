/**
 * Value labels in a feed spec: validated with errors naming feed, field and value; stored in
 * feed.json; returned by describeFeed/getRecordFormat; printed by dump/tail instead of the number.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeepwaterError } from '../src/index.js';
import { cli } from './cli/run-cli.js';
import { useTempBase } from './helpers/temp-base.js';

const KIND_LABELS = { 1: 'SEQUENCE_GAP', 3: 'DISCONNECT' };
const eventsSpec = (labels: unknown, type = 'uint8') => ({
  feedName: 'events',
  tsCol: 'ts',
  fields: [
    { name: 'ts', type: 'uint64' },
    // Bad labels on purpose in some tests: the spec is checked at run time, not by its type.
    { name: 'kind', type, desc: 'what happened', labels: labels as Readonly<Record<string, string>> },
    { name: 'code', type: 'uint16' },
  ],
});

describe('field value labels', () => {
  const { platform, base } = useTempBase();

  it.each([
    [
      'a field that is not an integer',
      KIND_LABELS,
      'float64',
      /field "kind": labels need an integer type .*not float64/,
    ],
    ['a 64-bit field', KIND_LABELS, 'uint64', /not uint64/],
    ['an array', ['A', 'B'], 'uint8', /field "kind": labels must be an object .*got an array/],
    ['an empty map', {}, 'uint8', /at least one value/],
    ['a key that is not an integer', { x: 'A' }, 'uint8', /labels key "x" is not an integer/],
    ['a key with a leading zero', { '01': 'A' }, 'uint8', /labels key "01" is not an integer/],
    ['a key of minus zero', { '-0': 'A' }, 'int8', /labels key "-0" is not an integer/],
    ['a value outside the type', { 300: 'BIG' }, 'uint8', /labels key 300 is outside uint8 \(0\.\.255\)/],
    ['a negative value of an unsigned type', { '-1': 'NEG' }, 'uint16', /labels key -1 is outside uint16/],
    ['a label that is not a string', { 1: 2 }, 'uint8', /label of 1 must be .*got 2/],
    ['an empty label', { 1: '' }, 'uint8', /label of 1 must be .*got ""/],
    ['a label with a comma', { 1: 'A,B' }, 'uint8', /label of 1 must be .*got "A,B"/],
    ['a label that reads as a number', { 1: '2' }, 'uint8', /label of 1 must not start with a digit/],
    ['one label for two values', { 1: 'SAME', 2: 'SAME' }, 'uint8', /label "SAME" names both 1 and 2/],
  ])('refuses %s, naming feed, field and value', (_what, labels, type, message) => {
    let error: unknown;
    try {
      platform().createFeed(eventsSpec(labels, type));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeepwaterError);
    expect((error as DeepwaterError).code).toBe('ERR_INVALID_SPEC');
    expect((error as Error).message).toMatch(/Invalid feed spec for "events"/);
    expect((error as Error).message).toMatch(message);
    expect(platform().listFeeds()).toEqual([]);
  });

  it('stores labels in feed.json and returns them from describeFeed and getRecordFormat', () => {
    const p = platform();
    p.createFeed(eventsSpec({ 3: 'DISCONNECT', 1: 'SEQUENCE_GAP', 2: 'signed-ok' }, 'int8'));
    const stored = JSON.parse(readFileSync(join(base(), 'feeds/events/feed.json'), 'utf8'));
    expect(stored.fields[1].labels).toEqual({ 1: 'SEQUENCE_GAP', 2: 'signed-ok', 3: 'DISCONNECT' });
    expect(p.getRecordFormat('events').fields[1].labels).toEqual({
      1: 'SEQUENCE_GAP',
      2: 'signed-ok',
      3: 'DISCONNECT',
    });
    expect(p.describeFeed('events').fields[1]).toMatchObject({ name: 'kind', labels: { 3: 'DISCONNECT' } });
    expect(p.getRecordFormat('events').fields[2].labels).toBeUndefined();
  });

  it('dump and tail print the label in table, csv and jsonl; unlabelled values stay numbers', async () => {
    const p = platform();
    p.createFeed(eventsSpec(KIND_LABELS));
    const writer = p.createWriter('events');
    writer.writeTuple([1_000_000, 1, 7]);
    writer.writeTuple([2_000_000, 2, 8]); // 2 has no label
    writer.writeTuple([3_000_000, 3, 9]);
    writer.close();
    p.close();

    const table = await cli(['dump', 'events', '--base-path', base()]);
    expect(table.code).toBe(0);
    const rows = table.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
    expect(rows.map((r) => r[1])).toEqual(['SEQUENCE_GAP', '2', 'DISCONNECT']);
    expect(rows.map((r) => r[2])).toEqual(['7', '8', '9']);

    const csv = await cli(['dump', 'events', '--base-path', base(), '--format', 'csv']);
    expect(csv.stdout.trim().split('\n')).toEqual([
      'ts,kind,code',
      '1000000,SEQUENCE_GAP,7',
      '2000000,2,8',
      '3000000,DISCONNECT,9',
    ]);

    const jsonl = await cli(['tail', 'events', '--base-path', base(), '--format', 'jsonl', '-n', '2']);
    expect(
      jsonl.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { ts: 2000000, kind: 2, code: 8 },
      { ts: 3000000, kind: 'DISCONNECT', code: 9 },
    ]);

    const described = await cli(['describe', 'events', '--base-path', base()]);
    expect(described.stdout).toMatch(/values of kind: 1 SEQUENCE_GAP, 3 DISCONNECT/);
  });
});
