// `pnpm prebuild`: compiles the addon from a clean build/ and copies it, stripped, to
// prebuilds/<platform>-<arch>/deepwater_storage.napi.glibc.node (prebuildify's layout), the file
// the package ships. The binary is not committed: prepack and CI build it.
// Reproducible: no debug info, no timestamps or paths in the stripped binary (the GNU build-id is
// a hash of the contents), so two builds from the same sources and toolchain are byte-identical;
// the printed sha256 lets a release compare them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`prebuild: builds the linux-x64 binary only, not ${process.platform}-${process.arch}`);
  process.exit(1);
}
if (process.report.getReport().header.glibcVersionRuntime === undefined) {
  console.error('prebuild: the shipped binary is for glibc; build it on a glibc system');
  process.exit(1);
}

// Incremental: make recompiles whatever changed, and the result equals a clean build's.
run(process.execPath, [path.join(packageRoot, 'scripts', 'build-native.mjs')]);
const built = path.join(packageRoot, 'build', 'Release', 'deepwater_storage.node');
const target = path.join(packageRoot, 'prebuilds', 'linux-x64', 'deepwater_storage.napi.glibc.node');
mkdirSync(path.dirname(target), { recursive: true });
copyFileSync(built, target);
run('strip', ['--strip-unneeded', target]);
const sha256 = createHash('sha256').update(readFileSync(target)).digest('hex');
console.log(
  `prebuild: ${path.relative(packageRoot, target)} ${statSync(target).size} bytes sha256 ${sha256}`,
);

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: packageRoot,
    stdio: 'inherit',
    // Fixed locale and source date: nothing machine- or time-dependent reaches the compiler.
    env: { ...process.env, LC_ALL: 'C', SOURCE_DATE_EPOCH: '0' },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}
