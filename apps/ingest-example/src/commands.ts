/** The interactive stdin commands: one line in, one typed command (or a usage error) out. */
import { normaliseProductId } from './products.js';

export type Command =
  | { name: 'subscribe'; products: string[] }
  | { name: 'unsubscribe'; products: string[] }
  | { name: 'status' }
  | { name: 'metrics' }
  | { name: 'stop' }
  | { name: 'help' }
  | { name: 'empty' };

export type CommandResult = { ok: true; command: Command } | { ok: false; error: string };

export const COMMAND_HELP = `commands:
  subscribe PRODUCT...     start ingesting products (e.g. subscribe BTC-USD ETH-USD)
  unsubscribe PRODUCT...   stop ingesting products and close their writers
  status                   connection, subscriptions, sequence, records per feed
  metrics                  messages/s, bytes/s, records/s per feed, latency percentiles, gaps
  stop                     close writers and exit
  help                     this text`;

const ALIASES: Record<string, Command['name']> = {
  subscribe: 'subscribe',
  sub: 'subscribe',
  unsubscribe: 'unsubscribe',
  unsub: 'unsubscribe',
  status: 'status',
  metrics: 'metrics',
  stop: 'stop',
  quit: 'stop',
  exit: 'stop',
  help: 'help',
  '?': 'help',
};

export function parseCommand(line: string): CommandResult {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: true, command: { name: 'empty' } };
  const [word, ...args] = words;
  const name = ALIASES[word.toLowerCase()];
  if (name === undefined) return { ok: false, error: `unknown command "${word}" (type help)` };
  if (name === 'subscribe' || name === 'unsubscribe') {
    if (args.length === 0)
      return { ok: false, error: `${name} needs at least one product, e.g. ${name} BTC-USD` };
    try {
      return { ok: true, command: { name, products: [...new Set(args.map(normaliseProductId))] } };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
  if (args.length > 0) return { ok: false, error: `${name} takes no arguments` };
  return { ok: true, command: { name } as Command };
}
