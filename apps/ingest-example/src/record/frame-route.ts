/**
 * What the replay server needs to know about a recorded frame to serve it as Coinbase would: its
 * channel, the products it carries (to honour subscriptions) and where its sequence_num sits in the
 * text (so the number can be rewritten without re-serialising the frame).
 */

export interface FrameRoute {
  /** null for frames that are not channel messages (errors, broken JSON): served verbatim. */
  channel: string | null;
  products: string[];
  seq: number | null;
  /** [start, end) of the sequence_num digits in the text, or null. */
  seqSpan: [number, number] | null;
}

const SEQ_KEY = '"sequence_num":';

function productsOf(channel: string, events: unknown[]): string[] {
  const products = new Set<string>();
  for (const event of events) {
    if (typeof event !== 'object' || event === null) continue;
    const e = event as { product_id?: unknown; trades?: unknown };
    if (channel === 'l2_data' && typeof e.product_id === 'string') products.add(e.product_id);
    if (channel === 'market_trades' && Array.isArray(e.trades)) {
      for (const t of e.trades) if (typeof t?.product_id === 'string') products.add(t.product_id);
    }
  }
  return [...products];
}

function seqSpanOf(text: string): [number, number] | null {
  const at = text.indexOf(SEQ_KEY);
  if (at < 0) return null;
  let start = at + SEQ_KEY.length;
  while (text[start] === ' ') start++;
  let end = start;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end > start ? [start, end] : null;
}

export function routeFrame(text: string): FrameRoute {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { channel: null, products: [], seq: null, seqSpan: null };
  }
  const m = message as { channel?: unknown; sequence_num?: unknown; events?: unknown };
  if (typeof m !== 'object' || m === null || typeof m.channel !== 'string') {
    return { channel: null, products: [], seq: null, seqSpan: null };
  }
  const seq =
    typeof m.sequence_num === 'number' && Number.isSafeInteger(m.sequence_num) ? m.sequence_num : null;
  const seqSpan = seq === null ? null : seqSpanOf(text);
  return {
    channel: m.channel,
    products: Array.isArray(m.events) ? productsOf(m.channel, m.events) : [],
    seq: seqSpan === null ? null : seq,
    seqSpan,
  };
}

export function withSequence(text: string, span: [number, number], seq: number): string {
  return text.slice(0, span[0]) + seq + text.slice(span[1]);
}
