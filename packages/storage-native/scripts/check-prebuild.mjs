// CI's check of the shipped binary: it exists, is a stripped x86-64 ELF of sane size, targets
// N-API 8, needs no newer glibc than we document, and loads and works under the running Node
// through the package's own loader (DEEPWATER_STORAGE_ADDON pins the loader to this file).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const binary = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.join(packageRoot, 'prebuilds', 'linux-x64', 'deepwater_storage.napi.glibc.node');
const EXPECTED_NAPI = 8;
const MAX_BYTES = 1024 * 1024;
// The oldest glibc the prebuild promises (Debian 12, Ubuntu 22.04, RHEL 9); an older one makes the
// install script compile from source instead.
const MAX_GLIBC = [2, 34];
const failures = [];

if (!existsSync(binary)) fail(`${binary} does not exist (run \`pnpm prebuild\`)`);
const size = statSync(binary).size;
if (size > MAX_BYTES) failures.push(`${size} bytes, more than ${MAX_BYTES}`);

const header = capture('readelf', ['-h', binary]);
if (!/Machine:\s+Advanced Micro Devices X86-64/.test(header)) failures.push('not an x86-64 ELF');
const sections = capture('readelf', ['-S', binary]);
if (/\.debug_info|\.symtab/.test(sections)) failures.push('not stripped (has .symtab/.debug_info)');
const versions = [...capture('readelf', ['-V', binary]).matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [
  Number(m[1]),
  Number(m[2]),
]);
const cxxVersions = [...capture('readelf', ['-V', binary]).matchAll(/GLIBCXX_([\d.]+)/g)].map((m) => m[1]);
const newestGlibcxx =
  cxxVersions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1) ?? 'none';
const newestGlibc = versions.reduce((a, b) => (compare(a, b) >= 0 ? a : b), [0, 0]);
if (compare(newestGlibc, MAX_GLIBC) > 0)
  failures.push(`needs glibc ${newestGlibc.join('.')}, newer than ${MAX_GLIBC.join('.')}`);

const probe = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const s = await import(${JSON.stringify(path.join(packageRoot, 'dist', 'index.js'))});
     const probe = s.allocateBuffer(4096, 1);
     console.log(JSON.stringify({ ...s.nativeAddon, bytes: probe.byteLength, now: s.nowMicros() > 0 }));`,
  ],
  { encoding: 'utf8', env: { ...process.env, DEEPWATER_STORAGE_ADDON: binary } },
);
let loaded;
if (probe.status !== 0) failures.push(`does not load under Node ${process.version}: ${probe.stderr.trim()}`);
else {
  loaded = JSON.parse(probe.stdout);
  if (loaded.path !== binary) failures.push(`the loader picked ${loaded.path}`);
  if (loaded.napiVersion !== EXPECTED_NAPI)
    failures.push(`N-API ${loaded.napiVersion}, expected ${EXPECTED_NAPI}`);
  if (loaded.bytes !== 4096 || !loaded.now) failures.push('loads but does not work');
}

if (failures.length > 0) fail(failures.join('; '));
console.log(
  `check-prebuild: ok ${path.relative(packageRoot, binary)} ${size} bytes, N-API ${loaded.napiVersion}, ` +
    `glibc >= ${newestGlibc.join('.')}, libstdc++ GLIBCXX >= ${newestGlibcxx}, loads under Node ${process.version}`,
);

function capture(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout;
}

function compare(a, b) {
  return a[0] - b[0] || a[1] - b[1];
}

function fail(message) {
  console.error(`check-prebuild: ${binary}: ${message}`);
  process.exit(1);
}
