import { spawnSync } from 'node:child_process';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  DeepwaterError,
  type DeepwaterErrorCode,
  DeepwaterRangeError,
  DeepwaterTypeError,
} from '../src/index.js';

class ClosedError extends DeepwaterError {
  constructor(feed: string) {
    super('ERR_CLOSED', `Feed "${feed}": the writer is closed`, { feed });
    this.name = 'ClosedError';
  }
}

describe('DeepwaterError', () => {
  it('carries a stable code, its context and the cause', () => {
    const cause = new Error('EIO');
    const error = new DeepwaterError('ERR_CORRUPT', 'chunk 3 is damaged', {
      feed: 'trades',
      path: '/base/feeds/trades/3.dwc',
      pid: 42,
      field: 'price',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({
      name: 'DeepwaterError',
      code: 'ERR_CORRUPT',
      message: 'chunk 3 is damaged',
      feed: 'trades',
      path: '/base/feeds/trades/3.dwc',
      pid: 42,
      field: 'price',
      cause,
    });
  });

  it('sets no context fields that were not given', () => {
    const error = new DeepwaterError('ERR_CLOSED', 'closed');
    expect(Object.keys(error).sort()).toEqual(['code', 'name']);
    expect('cause' in error).toBe(false);
  });

  it('keeps the ordinary instanceof for subclasses', () => {
    const closed = new ClosedError('trades');
    expect(closed).toBeInstanceOf(DeepwaterError);
    expect(closed).toBeInstanceOf(ClosedError);
    expect(new DeepwaterError('ERR_CLOSED', 'x')).not.toBeInstanceOf(ClosedError);
    expect(new DeepwaterTypeError('x')).not.toBeInstanceOf(ClosedError);
  });

  it('is not claimed by plain errors or non-objects', () => {
    for (const value of [new Error('x'), new TypeError('x'), { code: 'ERR_CLOSED' }, null, 'ERR_CLOSED', 1]) {
      expect(value instanceof DeepwaterError).toBe(false);
    }
  });
});

describe('misuse errors', () => {
  it('a DeepwaterTypeError is a TypeError and a DeepwaterError with code ERR_INVALID_ARGUMENT', () => {
    const error = new DeepwaterTypeError('Feed "trades": field "price" expects a number, got "x"', {
      feed: 'trades',
      field: 'price',
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toBeInstanceOf(DeepwaterTypeError);
    expect(error).not.toBeInstanceOf(DeepwaterRangeError);
    expect(error).toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARGUMENT',
      feed: 'trades',
      field: 'price',
    });
    expect(String(error)).toBe('TypeError: Feed "trades": field "price" expects a number, got "x"');
  });

  it('a DeepwaterRangeError is a RangeError and a DeepwaterError with code ERR_OUT_OF_RANGE', () => {
    const error = new DeepwaterRangeError('count must be a non-negative integer, got -1', { field: 'count' });
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE', field: 'count' });
  });
});

describe('two copies of the package', () => {
  it('recognise each other’s errors (the family mark is a registered symbol)', async () => {
    const url = new URL('../src/deepwater-error.ts', import.meta.url).href;
    const copyA = await import(`${url}?copy=a`);
    const copyB = await import(`${url}?copy=b`);
    expect(copyA.DeepwaterError).not.toBe(copyB.DeepwaterError);
    expect(new copyA.DeepwaterError('ERR_CLOSED', 'x')).toBeInstanceOf(copyB.DeepwaterError);
    expect(new copyB.DeepwaterRangeError('x')).toBeInstanceOf(copyA.DeepwaterError);
  });
});

describe('the built package', () => {
  it('loads with require() from CommonJS and with import, as one class', () => {
    const script = `
      const cjs = require('@deepwater/errors');
      import('@deepwater/errors').then((esm) => {
        const error = new cjs.DeepwaterRangeError('x');
        console.log(JSON.stringify({
          same: cjs.DeepwaterError === esm.DeepwaterError,
          family: error instanceof esm.DeepwaterError,
          code: error.code,
          exports: Object.keys(cjs).sort(),
        }));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      same: true,
      family: true,
      code: 'ERR_OUT_OF_RANGE',
      exports: ['DEEPWATER_ERROR_CODES', 'DeepwaterError', 'DeepwaterRangeError', 'DeepwaterTypeError'],
    });
  });
});

describe('DeepwaterErrorCode', () => {
  it('keeps each ERR_ code distinct from the errno names (checked by tsc)', () => {
    expectTypeOf<Extract<DeepwaterErrorCode, 'ERR_CLOSED'>>().toEqualTypeOf<'ERR_CLOSED'>();
    expectTypeOf<'ENOENT'>().toExtend<DeepwaterErrorCode>();
    expectTypeOf<'enoent'>().not.toExtend<DeepwaterErrorCode>();
  });
});
