// Compiles the addon with node-gyp against the headers of the Node that runs this script.
// node-gyp would otherwise download headers into $HOME, and CI has neither network nor HOME.
// Used by the workspace build, by `pnpm prebuild`, and by the install script as the fallback when
// the shipped prebuild does not load.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Resolved the way Node resolves this package's own dependencies: its node_modules first (the
// workspace), then the parents' (a consumer's hoisted install).
const requireFromPackage = createRequire(path.join(packageRoot, 'package.json'));
const nodePrefix = path.dirname(path.dirname(process.execPath));
// node-gyp is only a devDependency: a consumer's fallback compile uses the one npm ships with
// (npm exports its path as npm_config_node_gyp to install scripts).
const nodeGyp = resolveOrNull('node-gyp/bin/node-gyp.js') ?? npmBundledNodeGyp();
const nodeAddonApi = resolveOrNull('node-addon-api');
const duringInstall = process.env.npm_lifecycle_event === 'install';

const missing = [
  ['node-gyp', nodeGyp],
  ['node-addon-api', nodeAddonApi],
]
  .filter(([, resolved]) => resolved === null)
  .map(([name]) => name);
if (missing.length > 0) {
  if (duringInstall) {
    // pnpm may run this before the package's own node_modules are linked; `build` compiles it.
    console.log(
      '@deepwater/storage-native: node-gyp/node-addon-api not linked yet; `build` will compile the addon.',
    );
    process.exit(0);
  }
  console.error(
    `@deepwater/storage-native: cannot resolve ${missing.join(', ')} to compile the addon ` +
      '(node-gyp: `npm install -g node-gyp`; node-addon-api: reinstall this package; ' +
      'in the repository: `pnpm install`).',
  );
  process.exit(1);
}

if (!existsSync(path.join(nodePrefix, 'include', 'node', 'node_api.h'))) {
  console.error(
    `@deepwater/storage-native: Node headers not found under ${nodePrefix}/include/node ` +
      '(this Node install lacks its headers; install them, e.g. the distribution package with include/).',
  );
  process.exit(1);
}

// configure + build rather than `rebuild`: rebuild starts by deleting build/, so every test or
// process loading the addon meanwhile (turbo builds dependencies concurrently) would fail.
// make recompiles what changed, including after a Node header change; --clean forces a rebuild.
const commands = process.argv.includes('--clean') ? [['rebuild']] : [['configure'], ['build']];
for (const command of commands) {
  const result = spawnSync(process.execPath, [nodeGyp, ...command, `--nodedir=${nodePrefix}`, '--release'], {
    cwd: packageRoot,
    stdio: 'inherit',
    env: withoutNpmConfig(process.env),
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function resolveOrNull(specifier) {
  try {
    return requireFromPackage.resolve(specifier);
  } catch {
    return null;
  }
}

function npmBundledNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm?.endsWith('.js') && existsSync(fromNpm)) return fromNpm;
  const besideNode = path.join(
    nodePrefix,
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  return existsSync(besideNode) ? besideNode : null;
}

/**
 * node-gyp reads every npm_config_* variable as a command-line option, and they win over the
 * command line: an npmrc `nodedir` (or `target`, `dist-url`, `arch`) from another Node would
 * compile against the wrong headers. Only settings that choose tools, not targets, pass through.
 */
function withoutNpmConfig(env) {
  const kept = new Set(['npm_config_python', 'npm_config_jobs', 'npm_config_loglevel']);
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^npm_config_/i.test(name) || kept.has(name.toLowerCase())),
  );
}
