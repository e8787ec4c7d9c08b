#!/usr/bin/env bash
# make image: the kiosk's OCI image, built offline from Debian packages.
#   1. the two programs (build-bins.sh, the build step the Containerfile runs too);
#   2. the runtime package list derived from what they load (runtimepkgs,
#      checked against runtime-packages.txt, which the Containerfile installs);
#   3. a Debian 12 root filesystem with mmdebstrap holding only those packages
#      and the kiosk (assemble.sh, shared with the Containerfile);
#   4. a smoke test inside it with chroot (podman run does not work on every
#      machine; chroot does): check-config, detect on dog.jpg, every library
#      the programs load is there;
#   5. podman import of the root tarball, and an OCI archive to carry to a node.
#   6. the X server sidecar's image (XORG_IMAGE) the same way, from
#      xorg-packages.txt, when XORG_IMAGE is set.
# Output in build/image/. IMAGE names the image.
source "$(dirname "$0")/../../assets/setup/common.sh"
cd "$top"

image=${IMAGE:?set IMAGE, for example registry.carrier.lan/carrier-arcade/kiosk:0.1.0}
out=build/image
root=$out/rootfs
mkdir -p "$out"
for tool in mmdebstrap podman; do
	command -v $tool >/dev/null || {
		say "installing $tool (Debian package)"
		as_root apt-get install -y -qq --no-install-recommends $tool >/dev/null
	}
done

t0=$(date +%s)
step() { say "[$(($(date +%s) - t0))s] $*"; }

step "building the programs"
deploy/image/build-bins.sh bin/image

step "deriving the runtime packages"
ort=$(readlink -f .cache/lib/libonnxruntime.so)
# runtimepkgs is in deploy's own Go module.
${GO:-go} -C deploy build -o ../bin/runtimepkgs ./image/runtimepkgs
if ! bin/runtimepkgs -dlopen deploy/image/dlopen.txt \
	-out deploy/image/runtime-packages.txt -check bin/image/kiosk bin/image/kiosk-window "$ort"; then
	bin/runtimepkgs -dlopen deploy/image/dlopen.txt \
		-out deploy/image/runtime-packages.txt bin/image/kiosk bin/image/kiosk-window "$ort"
	say "deploy/image/runtime-packages.txt changed (git diff shows how); commit it so the Containerfile installs the same"
fi
packages=$(sed 's/#.*//' deploy/image/runtime-packages.txt | xargs | tr ' ' ,)
# Debian 12's essential init-system-helpers wants "usrmerge | usr-is-merged";
# left to itself apt picks usrmerge and with it Perl (50 MB). mmdebstrap's
# merged-usr hook lays out the merged /usr first and installs the empty
# usr-is-merged instead, as debian:12 has it.
merged_usr=--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr

# The machine's own Debian sources (mirror, security updates) when it has them.
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=http://deb.debian.org/debian

step "building the root filesystem with mmdebstrap"
rm -rf "$root"
as_root mmdebstrap --quiet --variant=essential "$merged_usr" --include="$packages" \
	--aptopt='APT::Install-Recommends "false"' \
	--dpkgopt=deploy/image/dpkg-excludes \
	--customize-hook='deploy/image/assemble.sh "$1" bin/image' \
	--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
	bookworm "$root" "$sources"

step "smoke test in the root filesystem (chroot)"
deploy/image/smoke.sh "$root"

step "packing and importing"
tar --numeric-owner --sort=name -C "$root" -cf "$out/rootfs.tar" .
changes=()
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	changes+=(--change "$line")
done <deploy/image/image-config
podman import --quiet "${changes[@]}" "$out/rootfs.tar" "$image" >/dev/null
rm -f "$out/image.oci.tar"
podman save --quiet --format oci-archive -o "$out/image.oci.tar" "$image"
step "done"

if [ -n "${XORG_IMAGE:-}" ]; then
	step "the X server's image"
	xroot=$out/xorg-rootfs
	rm -rf "$xroot"
	as_root mmdebstrap --quiet --variant=essential "$merged_usr" --include="$(sed 's/#.*//' deploy/image/xorg-packages.txt | xargs | tr ' ' ,)" \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt=deploy/image/dpkg-excludes \
		--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
		bookworm "$xroot" "$sources"
	chroot "$xroot" /usr/bin/Xorg -version 2>&1 | grep -m1 'X.Org X Server' >&2
	tar --numeric-owner --sort=name -C "$xroot" -cf "$out/xorg-rootfs.tar" .
	podman import --quiet --change 'ENTRYPOINT ["/usr/bin/Xorg"]' "$out/xorg-rootfs.tar" "$XORG_IMAGE" >/dev/null
	rm -f "$out/xorg.oci.tar"
	podman save --quiet --format oci-archive -o "$out/xorg.oci.tar" "$XORG_IMAGE"
	xsize=$(podman image inspect --format '{{.Size}}' "$XORG_IMAGE")
	step "done: $XORG_IMAGE $((xsize / 1000000)) MB"
fi

size=$(podman image inspect --format '{{.Size}}' "$image")
say "image $image: $((size / 1000000)) MB ($(du -sxh "$root" | cut -f1) on disk, $(du -h "$out/image.oci.tar" | cut -f1) OCI archive in $out/image.oci.tar)"
say "packages: $(chroot "$root" dpkg-query -W -f='.\n' | wc -l) installed from $(grep -vc '^#' deploy/image/runtime-packages.txt) listed"
