import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempBase } from './helpers/temp-base.js';

type Op =
  | { kind: 'values'; n: number; step: number }
  | { kind: 'batch'; n: number; step: number }
  | { kind: 'stream'; which: number; n: number }
  | { kind: 'poll'; max: number }
  | { kind: 'range'; a: number; b: number }
  | { kind: 'latest'; seconds: number }
  | { kind: 'reopen' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('values' as const),
    n: fc.integer({ min: 1, max: 12 }),
    step: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('batch' as const),
    n: fc.integer({ min: 1, max: 25 }),
    step: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('stream' as const),
    which: fc.integer({ min: 0, max: 2 }),
    n: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant('poll' as const), max: fc.integer({ min: 1, max: 15 }) }),
  fc.record({
    kind: fc.constant('range' as const),
    a: fc.integer({ min: -5, max: 120 }),
    b: fc.integer({ min: -5, max: 120 }),
  }),
  fc.record({ kind: fc.constant('latest' as const), seconds: fc.integer({ min: 0, max: 30 }) }),
  fc.constant({ kind: 'reopen' as const }),
);

describe('disk feed behaves like an append-only list (property test against a model)', () => {
  const t = useTempBase();

  it('never skips, repeats or reorders a record through any interleaving of writes, rotations and reads', () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(op, { maxLength: 60 }),
        (perChunk, replayFrom, ops) => {
          const p = t.open(`${t.base()}/run-${run++}`);
          const name = 'model';
          p.createFeed({
            feedName: name,
            fields: [
              { name: 'seq', type: 'uint32' },
              { name: 'ts', type: 'int64' },
            ],
            tsCol: 'ts',
            chunkSizeBytes: perChunk * 12,
          });
          let w = p.createWriter(name);
          const r = p.createReader(name);
          const model: [number, number][] = [];
          let ts = 0;
          // Streams: live from the start (opened before any write), replay from a timestamp, and live.
          const streams = [
            r.stream(),
            r.stream({ start: replayFrom }),
            undefined as ReturnType<typeof r.stream> | undefined,
          ];
          const streamPos = [0, -1, -1];
          r.readAvailable();
          let pollPos = 0;
          const next = (step: number): [number, number] => {
            ts += step;
            return [model.length, ts];
          };
          for (const o of ops) {
            switch (o.kind) {
              case 'values':
                for (let i = 0; i < o.n; i++) {
                  const rec = next(o.step);
                  w.writeValues(...rec);
                  model.push(rec);
                }
                break;
              case 'batch': {
                const rows: [number, number][] = [];
                for (let i = 0; i < o.n; i++) {
                  const rec = next(o.step);
                  rows.push(rec);
                  model.push(rec);
                }
                w.writeBatch(rows);
                break;
              }
              case 'stream': {
                if (o.which === 2 && streams[2] === undefined) {
                  streams[2] = r.stream();
                  streamPos[2] = model.length;
                  break;
                }
                const s = streams[o.which]!;
                // The replay stream yields the model's records with ts >= replayFrom, once one exists.
                if (streamPos[o.which] === -1)
                  streamPos[o.which] = model.findIndex((rec) => rec[1] >= replayFrom);
                if (streamPos[o.which] === -1) {
                  expect(s.tryNext()).toBeUndefined();
                  break;
                }
                for (let i = 0; i < o.n; i++) {
                  const got = s.tryNext();
                  const want = model[streamPos[o.which]];
                  if (want === undefined) {
                    expect(got).toBeUndefined();
                    break;
                  }
                  expect(got).toEqual(want);
                  streamPos[o.which]++;
                }
                break;
              }
              case 'poll': {
                const got = r.readAvailable({ maxRecords: o.max });
                expect(got).toEqual(model.slice(pollPos, pollPos + got.length));
                pollPos += got.length;
                if (got.length === 0) expect(pollPos).toBe(model.length);
                break;
              }
              case 'range':
                expect(r.range(o.a, o.b)).toEqual(model.filter((rec) => rec[1] >= o.a && rec[1] < o.b));
                break;
              case 'latest': {
                // latest(seconds) keeps ts >= newest - seconds * 1e6; here seconds is in µs / 1e6.
                const newest = model.at(-1)?.[1];
                const want = newest === undefined ? [] : model.filter((rec) => rec[1] >= newest - o.seconds);
                expect(r.latest(o.seconds / 1e6)).toEqual(want);
                break;
              }
              case 'reopen':
                // A new writer session resumes the last chunk (and its timestamp order).
                w.close();
                w = p.createWriter(name);
                break;
            }
          }
          // Drain: every stream ends exactly at the model's end.
          for (let k = 0; k < 3; k++) {
            const s = streams[k];
            if (s === undefined) continue;
            if (streamPos[k] === -1) streamPos[k] = model.findIndex((rec) => rec[1] >= replayFrom);
            if (streamPos[k] === -1) streamPos[k] = model.length;
            for (let i = streamPos[k]; i < model.length; i++) expect(s.tryNext()).toEqual(model[i]);
            expect(s.tryNext()).toBeUndefined();
          }
          p.close();
        },
      ),
      { numRuns: 300 },
    );
  });
});
