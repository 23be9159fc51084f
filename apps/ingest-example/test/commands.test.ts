import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/commands.js';

describe('parseCommand', () => {
  it('parses subscribe with upper-cased, de-duplicated products', () => {
    expect(parseCommand('  subscribe btc-usd ETH-USD btc-usd ')).toEqual({
      ok: true,
      command: { name: 'subscribe', products: ['BTC-USD', 'ETH-USD'] },
    });
  });

  it('accepts aliases', () => {
    expect(parseCommand('unsub SOL-USD')).toEqual({
      ok: true,
      command: { name: 'unsubscribe', products: ['SOL-USD'] },
    });
    expect(parseCommand('quit')).toEqual({ ok: true, command: { name: 'stop' } });
    expect(parseCommand('?')).toEqual({ ok: true, command: { name: 'help' } });
  });

  it.each(['status', 'metrics', 'stop', 'help'])('parses %s', (name) => {
    expect(parseCommand(name)).toEqual({ ok: true, command: { name } });
  });

  it('treats a blank line as empty', () => {
    expect(parseCommand('   ')).toEqual({ ok: true, command: { name: 'empty' } });
  });

  it('names the unknown command', () => {
    expect(parseCommand('subscrib BTC-USD')).toEqual({
      ok: false,
      error: 'unknown command "subscrib" (type help)',
    });
  });

  it('names a bad product', () => {
    expect(parseCommand('subscribe BTCUSD')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"BTCUSD" is not a Coinbase product id/),
    });
  });

  it('requires products for subscribe and none for status', () => {
    expect(parseCommand('subscribe')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at least one product/),
    });
    expect(parseCommand('status now')).toEqual({ ok: false, error: 'status takes no arguments' });
  });
});
