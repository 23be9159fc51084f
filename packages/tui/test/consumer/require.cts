// A CommonJS TypeScript consumer: the types of require('@deepwater/tui') say it is ESM-only, so
// using it fails to compile (it would throw ERR_ESM_ONLY at run time); import() is fully typed.
import tui = require('@deepwater/tui');

async function open(basePath: string): Promise<void> {
  // @ts-expect-error require() of the tui has no API: it throws ERR_ESM_ONLY
  await tui.runDashboard({ basePath });
  const esm = await import('@deepwater/tui');
  await esm.runDashboard({ basePath });
}
export = open;
