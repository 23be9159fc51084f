// A dashboard over simulated feeds, for working on the layout without a writer:
//   pnpm --filter @deepwater/tui preview
import { render } from 'ink';
import { App, Poller } from '../src/index.js';
import { scenario } from '../test/fixtures/scenario.js';

const { source } = scenario();
source.nowUs = Date.now() * 1000;
const poller = new Poller(source, { intervalMs: 0 });
let phase = 0;
const timer = setInterval(() => {
  phase += 0.25;
  const wave = 1 + Math.sin(phase / 3);
  source.nowUs = Date.now() * 1000;
  source.advance(0, {});
  for (const feed of source.feeds) {
    const rate = feed.name === 'trades' ? 8000 * wave : feed.name === 'quotes' ? 200_000 + 50_000 * wave : 0;
    if (!rate) continue;
    feed.records += Math.round(rate / 4);
    feed.lastTs = source.nowUs;
    feed.lastAppendUs = source.nowUs;
  }
  poller.sampleNow();
}, 250);
poller.sampleNow();
const app = render(<App source={source} poller={poller} />);
await app.waitUntilExit();
clearInterval(timer);
