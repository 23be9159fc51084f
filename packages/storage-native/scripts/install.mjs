// The package's install script: use the shipped prebuild when it loads here, compile from source
// only when it does not (another libc or architecture), and fail with what to install otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const addonName = 'deepwater_storage';
const prebuild = path.join(
  packageRoot,
  'prebuilds',
  `${process.platform}-${process.arch}`,
  `${addonName}.napi.glibc.node`,
);
const sourceBuild = path.join(packageRoot, 'build', 'Release', `${addonName}.node`);
// The repository has src/; a published tarball does not. In the workspace pnpm may run this before
// node-gyp is linked, and `pnpm build` compiles the addon anyway.
const inWorkspace = existsSync(path.join(packageRoot, 'src'));

if (!inWorkspace && loads(prebuild)) process.exit(0);

const build = spawnSync(process.execPath, [path.join(packageRoot, 'scripts', 'build-native.mjs')], {
  cwd: packageRoot,
  stdio: 'inherit',
});
if (inWorkspace) process.exit(build.status ?? 1);
if (build.status === 0 && loads(sourceBuild)) process.exit(0);

console.error(
  `@deepwater/storage-native: the prebuilt addon does not load on ${process.platform}-${process.arch} ` +
    `and compiling it from source failed.\n` +
    'Install python3, make and a C++17 compiler, then reinstall:\n' +
    '  Debian/Ubuntu: apt-get install -y python3 make g++\n' +
    '  Fedora/RHEL:   dnf install -y python3 make gcc-c++\n' +
    '  Alpine:        apk add python3 make g++ linux-headers\n' +
    'Node must have its headers (<prefix>/include/node, shipped by the official tarballs).',
);
process.exit(1);

/** Loads the addon in a child process, so a crash while loading cannot take the install down. */
function loads(addonPath) {
  if (!existsSync(addonPath)) return false;
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addonPath)})`], {
    stdio: 'ignore',
  });
  return probe.status === 0;
}
