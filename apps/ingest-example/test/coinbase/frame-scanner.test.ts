import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanAdvancedTradeFrame } from '../../src/coinbase/frame-scanner.js';
import { parseAdvancedTradeFrame } from '../../src/coinbase/parse.js';
import { parseSession } from '../../src/record/session-file.js';

const FIXTURE = new URL('../../fixtures/session.jsonl', import.meta.url);
const frames = parseSession(readFileSync(FIXTURE, 'utf8'), 'fixture')
  .flat()
  .map((f) => f.data);

/** The scanner's contract: null, or exactly what the full parser returns for the same text. */
function agrees(text: string): 'fast' | 'fallback' {
  const fast = scanAdvancedTradeFrame(Buffer.from(text, 'utf8'));
  if (fast === null) return 'fallback';
  expect(fast).toEqual(parseAdvancedTradeFrame(text));
  return 'fast';
}

// A small deterministic PRNG (mulberry32), so a failure reproduces.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const l2 = (update: string, extra = '') =>
  `{"channel":"l2_data","client_id":"","timestamp":"2024-03-12T14:30:01.043604005Z","sequence_num":7,"events":[{"type":"update","product_id":"ETH-USD","updates":[${update}]}]${extra}}`;
const level = (fields: Partial<Record<string, string>> = {}) =>
  JSON.stringify({
    side: 'bid',
    event_time: '2024-03-12T14:30:01.042404949Z',
    price_level: '4012.93',
    new_quantity: '0.532177',
    ...fields,
  });
const trade = (fields: Partial<Record<string, string>> = {}) =>
  `{"channel":"market_trades","client_id":"","timestamp":"2024-03-12T14:30:01.160804948Z","sequence_num":9,"events":[{"type":"update","trades":[${JSON.stringify(
    {
      trade_id: '612004147',
      product_id: 'BTC-USD',
      price: '72150.28',
      size: '0.05717253',
      side: 'BUY',
      time: '2024-03-12T14:30:01.155804Z',
      ...fields,
    },
  )}]}]}`;

describe('scanAdvancedTradeFrame', () => {
  it('decodes every trade and book frame of the bundled session exactly as the full parser does', () => {
    let fast = 0;
    let hot = 0;
    for (const text of frames) {
      if (/"channel":"(l2_data|market_trades)"/.test(text)) hot++;
      if (agrees(text) === 'fast') fast++;
    }
    expect(hot).toBeGreaterThan(1000);
    expect(fast).toBe(hot);
  });

  it('leaves heartbeats, acknowledgements and errors to the full parser', () => {
    for (const text of frames.filter((f) => /"channel":"(heartbeats|subscriptions)"/.test(f))) {
      expect(scanAdvancedTradeFrame(Buffer.from(text))).toBeNull();
    }
    expect(scanAdvancedTradeFrame(Buffer.from('{"type":"error","message":"nope"}'))).toBeNull();
  });

  it('agrees with the full parser on values at the edges', () => {
    const cases = [
      level({ price_level: '123456789.0123456789' }), // beyond 15 digits: the BigInt path
      level({ new_quantity: '0.30000000000' }), // zeros beyond the scale
      level({ new_quantity: '0.123456789' }), // needs rounding: rejected
      level({ new_quantity: '1e5' }),
      level({ new_quantity: '.5' }),
      level({ event_time: '2024-03-12T14:30:01+00:00' }),
      level({ event_time: '2024-03-12T14:30:01.Z' }),
      level({ event_time: '2024-13-12T14:30:01.1Z' }),
      level({ event_time: '1970-01-01T00:00:00Z' }),
      level({ side: 'ask' }),
    ];
    for (const c of cases) agrees(l2(c));
    for (const id of ['18446744073709551615', '18446744073709551616', '5a1c5f3e-aaaa', '', '0007']) {
      expect(agrees(trade({ trade_id: id }))).toBe('fast');
    }
    expect(agrees(trade({ product_id: 'btc-usd' }))).toBe('fallback');
    expect(agrees(trade({ side: 'buy' }))).toBe('fallback');
    expect(agrees(l2(level()).replace('"sequence_num":7', '"sequence_num":7.0'))).toBe('fallback');
    expect(agrees(l2(level(), ',"extra":[1,-2.5e3,true,null,{"a":"b"}]'))).toBe('fast');
    expect(agrees(l2(level(), ',"extra":01'))).toBe('fallback'); // not JSON: a leading zero
    expect(agrees(l2(`${level()},${level({ side: 'offer' })}`))).toBe('fast');
    expect(agrees(`${l2(level())} \n`)).toBe('fast');
    expect(agrees(`${l2(level())}}`)).toBe('fallback'); // trailing bytes: not JSON
  });

  it('never accepts a mutated frame the full parser would decode differently', () => {
    const next = random(20240312);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    const hot = frames.filter((f) => /"channel":"(l2_data|market_trades)"/.test(f)).slice(0, 400);
    const noise = ['"', ',', ':', '{', '}', '[', ']', '.', '0', '9', '-', 'e', ' ', '\\', 'Z', 'é', '\n'];
    const outcomes = { fast: 0, fallback: 0 };
    for (let round = 0; round < 3000; round++) {
      const text = pick(hot);
      const at = Math.floor(next() * text.length);
      let mutated: string;
      switch (round % 5) {
        case 0: // delete one character
          mutated = text.slice(0, at) + text.slice(at + 1);
          break;
        case 1: // replace one character
          mutated = text.slice(0, at) + pick(noise) + text.slice(at + 1);
          break;
        case 2: // insert whitespace or noise
          mutated = text.slice(0, at) + pick([' ', '\t', '\r\n', ...noise]) + text.slice(at);
          break;
        case 3: {
          // the same value with members in another order, or a member repeated
          const value = JSON.parse(text) as Record<string, unknown>;
          const keys = Object.keys(value).reverse();
          mutated = JSON.stringify(Object.fromEntries(keys.map((k) => [k, value[k]])));
          if (next() < 0.5) mutated = mutated.replace('{', `{"timestamp":"2024-03-12T14:30:09Z",`);
          break;
        }
        default: // an escaped character inside a string
          mutated = text.replace(/"(price_level|price|new_quantity|size)":"(\d)/, '"$1":"\\u003$2');
      }
      outcomes[agrees(mutated)]++;
    }
    // Both ways out are exercised: some mutations stay valid, many are left to the full parser.
    expect(outcomes.fast).toBeGreaterThan(100);
    expect(outcomes.fallback).toBeGreaterThan(100);
  });
});
