// Builds the addon with AddressSanitizer into build-asan/ (never touching build/) and runs the
// native test suite against it. Not part of CI: V8 itself is not ASan-clean, so leak detection is
// off and only memory errors (overflows, use-after-free, double free) are reported.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const asanRoot = path.join(packageRoot, 'build-asan');
const requireFromPackage = createRequire(path.join(packageRoot, 'package.json'));
const nodeGyp = requireFromPackage.resolve('node-gyp/bin/node-gyp.js');
const nodePrefix = path.dirname(path.dirname(process.execPath));

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result;
}

// The same target, its sources taken from ../native, compiled and linked with -fsanitize=address.
const gyp = JSON.parse(readFileSync(path.join(packageRoot, 'binding.gyp'), 'utf8'));
const target = gyp.targets[0];
target.sources = target.sources.map((source) => path.join('..', source));
const asanFlags = ['-fsanitize=address', '-fno-omit-frame-pointer', '-g', '-O1'];
target.cflags_cc = [...target.cflags_cc.filter((flag) => !flag.startsWith('-O')), ...asanFlags];
target.cflags = [...(target.cflags ?? []), ...asanFlags];
target.ldflags = [...(target.ldflags ?? []), '-fsanitize=address'];
mkdirSync(asanRoot, { recursive: true });
writeFileSync(path.join(asanRoot, 'binding.gyp'), `${JSON.stringify(gyp, null, 2)}\n`);
run(process.execPath, [nodeGyp, 'configure', 'build', `--nodedir=${nodePrefix}`, '--release'], {
  cwd: asanRoot,
});

const libasan = spawnSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
// vitest's package exports hide its bin script; the workspace links the package here.
const vitest = path.join(packageRoot, 'node_modules', 'vitest', 'vitest.mjs');
run(process.execPath, [vitest, 'run', ...process.argv.slice(2)], {
  cwd: packageRoot,
  env: {
    ...process.env,
    // Test-only override read by src/binding.ts.
    DEEPWATER_STORAGE_ADDON: path.join(asanRoot, 'build', 'Release', 'deepwater_storage.node'),
    LD_PRELOAD: libasan,
    ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:halt_on_error=1',
  },
});
