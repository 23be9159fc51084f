#!/usr/bin/env bash
# Packed-tarball smoke test: what a stranger gets from npm. Packs every publishable package (their
# prepack scripts build them and the linux-x64 prebuild), installs the tarballs with npm into an
# empty directory outside the workspace with NO compiler on PATH, then runs the README quick start
# as ESM and as CommonJS, requires every package from CommonJS and runs the CLIs.
#
#   scripts/smoke-packed.sh                 pack, then install and run under the `node` on PATH
#   scripts/smoke-packed.sh --tarballs DIR  reuse tarballs packed earlier (the Node matrix does)
#   scripts/smoke-packed.sh --pack-only DIR pack into DIR and stop
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PNPM=(npx -y pnpm@10.34.9)
PACKAGES=(errors schema-wasm storage-native ring sdk tui arrow bridge-nats)

tarballs=""
pack_only=""
case "${1:-}" in
  --tarballs) tarballs="$(cd "$2" && pwd)" ;;
  --pack-only) mkdir -p "$2" && pack_only="$(cd "$2" && pwd)" ;;
  "") ;;
  *) echo "usage: $0 [--tarballs DIR | --pack-only DIR]" >&2; exit 2 ;;
esac

work="$(mktemp -d /tmp/dw-smoke-XXXXXX)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

if [ -z "$tarballs" ]; then
  tarballs="${pack_only:-$work/tarballs}"
  mkdir -p "$tarballs"
  rm -f "$tarballs"/*.tgz
  for pkg in "${PACKAGES[@]}"; do
    # pnpm pack runs prepack (build, and for storage-native the prebuild and its check) and turns
    # workspace:^ into the version range npm understands.
    (cd "$ROOT/packages/$pkg" && "${PNPM[@]}" pack --pack-destination "$tarballs" >"$work/pack-$pkg.log" 2>&1) \
      || { cat "$work/pack-$pkg.log" >&2; echo "smoke: packing $pkg failed" >&2; exit 1; }
  done
  echo "== tarballs"
  for tgz in "$tarballs"/*.tgz; do
    printf '%8d bytes packed, %8d unpacked, %3d files  %s\n' "$(stat -c %s "$tgz")" \
      "$(tar -xzOf "$tgz" | wc -c)" "$(tar -tzf "$tgz" | wc -l)" "$(basename "$tgz")"
  done
  for tgz in "$tarballs"/*.tgz; do tar -tzf "$tgz"; done >"$work/contents.txt"
  grep -qx 'package/prebuilds/linux-x64/deepwater_storage.napi.glibc.node' "$work/contents.txt" \
    || { echo "smoke: the storage-native tarball has no prebuild" >&2; exit 1; }
  ! grep -q '\.map$' "$work/contents.txt" || { echo "smoke: a tarball ships source maps" >&2; exit 1; }
  [ -n "$pack_only" ] && exit 0
fi

# A PATH with node, npm and a shell, and no compiler, make or python.
nobuild="$work/bin"
mkdir -p "$nobuild"
node_bin="$(command -v node)"
npm_cli="$(readlink -f "$(command -v npm)")"
npx_cli="$(readlink -f "$(command -v npx)")"
ln -s "$node_bin" "$nobuild/node"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$node_bin" "$npm_cli" >"$nobuild/npm"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$node_bin" "$npx_cli" >"$nobuild/npx"
chmod +x "$nobuild/npm" "$nobuild/npx"
for tool in sh bash env cat ls mkdir rm cp mv ln chmod grep sed head tail tr wc sort uname readlink dirname basename; do
  ln -s "$(command -v "$tool")" "$nobuild/$tool"
done
export PATH="$nobuild"
for tool in g++ c++ gcc cc make python3 python; do
  if command -v "$tool" >/dev/null; then echo "smoke: $tool is on the restricted PATH" >&2; exit 1; fi
done

app="$work/app"
mkdir -p "$app"
cd "$app"
export HOME="$work/home" npm_config_cache="${DEEPWATER_NPM_CACHE:-$ROOT/.cache/npm}"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
echo "== npm install (node $(node --version), no compiler on PATH)"
npm init -y >/dev/null
npm install --no-package-lock --loglevel=error "$tarballs"/*.tgz
native="$app/node_modules/@deepwater/storage-native"
[ ! -e "$native/build" ] || { echo "smoke: storage-native compiled at install; the prebuild was not used" >&2; exit 1; }

# The README quick start, exactly as printed, as ESM; then the same code as CommonJS.
sed -n '/^## Quick start (the API)/,/^```$/p' "$ROOT/README.md" | sed '1,/^```ts$/d;$d' >quick-start.mjs
{
  echo "const { Platform } = require('@deepwater/sdk');"
  echo '(async () => {'
  grep -v "^import { Platform } from '@deepwater/sdk';" quick-start.mjs
  echo '})().catch((error) => { console.error(error); process.exit(1); });'
} >quick-start.cjs
echo "== quick start (ESM)"
node quick-start.mjs
echo "== quick start (CommonJS)"
node quick-start.cjs

echo "== require() and import of every package"
cat >require-all.cjs <<'JS'
const names = ['@deepwater/errors', '@deepwater/schema-wasm', '@deepwater/storage-native', '@deepwater/ring', '@deepwater/sdk', '@deepwater/arrow', '@deepwater/bridge-nats'];
for (const name of names) {
  const exported = Object.keys(require(name));
  if (exported.length === 0) throw new Error(`${name}: require() gave no exports`);
}
// The tui is ESM-only (Ink loads its layout engine with top-level await): CommonJS uses import().
import('@deepwater/tui').then((tui) => {
  if (typeof tui.runDashboard !== 'function') throw new Error('@deepwater/tui: no runDashboard');
});
const { nativeAddon } = require('@deepwater/storage-native');
if (!nativeAddon.path.endsWith('prebuilds/linux-x64/deepwater_storage.napi.glibc.node'))
  throw new Error(`loaded ${nativeAddon.path}, not the prebuild`);
console.log(`required ${names.length} packages, imported the tui; addon ${nativeAddon.path.replace(process.cwd() + '/', '')}, N-API ${nativeAddon.napiVersion}`);
JS
node require-all.cjs

echo "== CLIs"
version="$(node -p "require('@deepwater/sdk/package.json').version")"
[ "$(npx --no-install deepwater --version)" = "$version" ] || { echo "smoke: deepwater --version" >&2; exit 1; }
[ "$(npx --no-install deepwater-dashboard --version)" = "$(node -p "require('@deepwater/tui/package.json').version")" ]
[ "$(npx --no-install deepwater-arrow --version)" = "$(node -p "require('@deepwater/arrow/package.json').version")" ]
[ "$(npx --no-install deepwater-bridge --version)" = "$(node -p "require('@deepwater/bridge-nats/package.json').version")" ]
npx --no-install deepwater feeds >feeds.txt && cat feeds.txt
grep -q trades feeds.txt || { echo "smoke: deepwater feeds does not list trades" >&2; exit 1; }
npx --no-install deepwater-health >/dev/null
# No addon at all: one line naming what to install, no stack trace.
if DEEPWATER_STORAGE_ADDON=/nonexistent.node npx --no-install deepwater feeds 2>err.txt; then exit 1; fi
grep -q 'apt-get install -y python3 make g++' err.txt && ! grep -q '^    at ' err.txt \
  || { echo "smoke: the missing-addon message"; cat err.txt; exit 1; } >&2
# GETTING_STARTED.md then QUICK_REFERENCE.md, every block in order: `js FILE` blocks are written to FILE, `sh` blocks run;
# `sh install` and `sh interactive` are skipped (the tarballs are installed; the dashboard waits for q).
for doc in GETTING_STARTED.md QUICK_REFERENCE.md; do
echo "== $doc"
node - "$ROOT/$doc" >tour.sh <<'JS'
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
for (const [, info, body] of text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)) {
  const [lang, arg] = info.trim().split(/\s+/);
  if (lang === 'js') console.log(`cat >${arg} <<'DEEPWATER_EOF'\n${body}DEEPWATER_EOF`);
  else if (lang === 'sh' && arg === undefined) console.log(`set -x\n${body}set +x`);
  else if (!(lang === 'sh' && ['install', 'interactive'].includes(arg))) throw new Error(`unknown block ${info}`);
}
JS
bash -e tour.sh
done
echo "== smoke test passed (node $(node --version))"
