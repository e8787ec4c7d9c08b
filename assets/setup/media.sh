#!/usr/bin/env bash
# The demo clip and the test pictures, taken from Debian packages with
# 'apt-get download' (nothing is installed): opencv-doc has vtest.avi,
# Megamind.avi, messi5.jpg and fruits.jpg; darknet has dog.jpg and friends.
source "$(dirname "$0")/common.sh"

media="$cache/media"
opencv_files=(vtest.avi Megamind.avi messi5.jpg fruits.jpg orange.jpg apple.jpg right06.jpg box.png left13.jpg)
darknet_files=(dog.jpg person.jpg horses.jpg eagle.jpg giraffe.jpg kite.jpg scream.jpg)

need=0
for f in "${opencv_files[@]}" "${darknet_files[@]}"; do [ -s "$media/$f" ] || need=1; done
[ $need -eq 0 ] && exit 0

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt's download user must be able to write here
say "fetching demo media from Debian packages opencv-doc and darknet"
if ! (cd "$tmp" && apt-get download opencv-doc darknet >/dev/null 2>"$tmp/err"); then
	# The package lists may be missing on a fresh machine.
	as_root apt-get update -qq
	(cd "$tmp" && apt-get download opencv-doc darknet >/dev/null 2>"$tmp/err") ||
		die "could not download Debian packages opencv-doc and darknet: $(cat "$tmp/err")
  fix: copy vtest.avi, messi5.jpg, fruits.jpg (opencv-doc) and dog.jpg (darknet) into $media"
fi
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/x"; done
for f in "${opencv_files[@]}"; do install_file "$tmp/x/usr/share/doc/opencv-doc/examples/data/$f" "$media/$f"; done
for f in "${darknet_files[@]}"; do install_file "$tmp/x/usr/share/darknet/data/$f" "$media/$f"; done
say "demo media in $media"
