#!/usr/bin/env bash
# `pnpm release`: everything a release does short of publishing, on a temporary clone of HEAD so
# this checkout's pending changesets are not consumed:
#   install (frozen lockfile) -> changeset version (versions + CHANGELOG.md per package) -> build ->
#   prebuild + its check -> pack -> packed-tarball smoke test (no compiler on PATH)
# [--matrix also runs it under Node 22 and 24]. It leaves the tarballs, the versioned package.json
# and CHANGELOG.md files under .cache/release/ and prints what publishing would take.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PNPM=(npx -y pnpm@10.34.9)
matrix=0
[ "${1:-}" = "--matrix" ] && matrix=1

out="$ROOT/.cache/release"
work="$(mktemp -d /tmp/dw-release-XXXXXX)"
trap 'rm -rf "$work"' EXIT
if ! git -C "$ROOT" diff --quiet HEAD; then
  echo "release: uncommitted changes are left out: the release is cut from HEAD $(git -C "$ROOT" rev-parse --short HEAD)"
fi
git clone -q "$ROOT" "$work/repo"
git -C "$work/repo" checkout -q --detach "$(git -C "$ROOT" rev-parse HEAD)"
cd "$work/repo"

echo "== install"
"${PNPM[@]}" install --frozen-lockfile --reporter=append-only >"$work/install.log" 2>&1 \
  || { tail -40 "$work/install.log" >&2; exit 1; }
echo "== changeset version"
"${PNPM[@]}" changeset version
echo "== build"
"${PNPM[@]}" run build --output-logs=errors-only
echo "== prebuild"
"${PNPM[@]}" prebuild
rm -rf "$out" && mkdir -p "$out/tarballs"
bash scripts/smoke-packed.sh --pack-only "$out/tarballs"
bash scripts/smoke-packed.sh --tarballs "$out/tarballs"
[ "$matrix" = 0 ] || bash scripts/node-matrix.sh --no-suites --tarballs "$out/tarballs" 22 24

# What `changeset version` wrote, for review.
for pkg in packages/* apps/* bench; do
  [ -f "$pkg/CHANGELOG.md" ] || continue
  mkdir -p "$out/versioned/$pkg" && cp "$pkg/package.json" "$pkg/CHANGELOG.md" "$out/versioned/$pkg/"
done
echo "== release candidate from $(git -C "$ROOT" rev-parse --short HEAD)"
for tgz in "$out"/tarballs/*.tgz; do
  printf '%8d bytes  sha256 %s  %s\n' "$(stat -c %s "$tgz")" "$(sha256sum "$tgz" | cut -c1-16)" "${tgz#"$ROOT/"}"
done
cat <<TXT
Versions and changelogs: .cache/release/versioned/. To publish (CONTRIBUTING.md, "Releasing"):
run \`pnpm changeset version\` in the repository, commit, run \`pnpm release\` again, then
  for t in errors schema-wasm storage-native ring sdk tui arrow bridge-nats; do npm publish .cache/release/tarballs/deepwater-\$t-*.tgz; done
TXT
