import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/core/args.js';

describe('parseArgs', () => {
  it('reads every flag the README documents', () => {
    const args = parseArgs(['--quick', '--check', '--only', 'dw.latency', '--json', 'out.json']);
    expect(args.quick).toBe(true);
    expect(args.check).toBe(true);
    expect(args.jsonPath).toBe('out.json');
    expect(args.only?.test('dw.latency.ring')).toBe(true);
    expect(args.only?.test('baseline.raw')).toBe(false);
  });

  it('treats --only as a literal substring unless it is written /like this/', () => {
    expect(parseArgs(['--only', 'a.b']).only?.test('axb')).toBe(false);
    expect(parseArgs(['--only', '/ring|raw/']).only?.test('baseline.raw')).toBe(true);
  });

  it('accepts --flag=value and ignores a lone -- that pnpm may pass through', () => {
    const args = parseArgs(['--', '--json=x.json', '--targets=t.json']);
    expect(args.jsonPath).toBe('x.json');
    expect(args.targetsPath).toBe('t.json');
  });

  it('turns pinning off with --no-pin', () => {
    expect(parseArgs(['--no-pin']).noPin).toBe(true);
    expect(parseArgs([]).noPin).toBe(false);
  });

  it('rejects an unknown argument by name', () => {
    expect(() => parseArgs(['--quik'])).toThrow(/unknown argument "--quik"/);
  });

  it('rejects a flag that needs a value when none is given', () => {
    expect(() => parseArgs(['--only'])).toThrow(/--only needs a value/);
  });
});
