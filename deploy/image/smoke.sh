#!/usr/bin/env bash
# smoke.sh ROOT: the kiosk works inside an image's root filesystem, tried
# with chroot (podman run needs cgroups some machines do not give):
#   - every library the programs and ONNX Runtime link, and every soname in
#     dlopen.txt, is in the image;
#   - 'kiosk check-config' accepts the default config;
#   - 'kiosk detect' finds the dog in dog.jpg with the image's ONNX Runtime
#     and model;
#   - with Xvfb on this machine: 'kiosk screenshot' opens the window on a
#     virtual display through the image's own X11, GL and Mesa libraries
#     (the dlopen ones), and the picture is kept in build/image/.
# /proc and /dev are mounted in a private mount namespace, gone on exit.
source "$(dirname "$0")/../../assets/setup/common.sh"
root=$(cd "${1:?usage: smoke.sh ROOT}" && pwd)
app=/opt/carrier-arcade
dog="$cache/media/dog.jpg"
[ -f "$dog" ] || die "$dog is missing; run 'make deps'"

sonames=$(sed 's/#.*//' "$top/deploy/image/dlopen.txt" | xargs)
install -m 644 "$dog" "$root/tmp/dog.jpg"
xvfb_pid=
cleanup() {
	rm -f "$root/tmp/dog.jpg" "$root/tmp/shot.png"
	rmdir "$root/tmp/.X11-unix" 2>/dev/null || true
	[ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT

# A virtual display of our own for the window check, on a free number.
display=
if command -v Xvfb >/dev/null; then
	for n in $(seq 90 99); do
		[ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=:$n; break; }
	done
fi
if [ -n "$display" ]; then
	Xvfb "$display" -nolisten tcp -screen 0 1280x800x24 >/dev/null 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
fi

as_root unshare --mount --fork env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp \
	ROOT="$root" APP="$app" SONAMES="$sonames" DISPLAY="$display" sh -eu -c '
	mount -t proc proc "$ROOT/proc"
	mount --rbind /dev "$ROOT/dev"
	inroot() { chroot "$ROOT" "$@"; }
	ort=$(readlink -f "$ROOT$APP/.cache/lib/libonnxruntime.so" | sed "s|^$ROOT||")
	missing=$(inroot ldd "$APP/bin/kiosk" "$APP/bin/kiosk-window" "$ort" | grep "not found" || true)
	[ -z "$missing" ] || { echo "smoke: libraries missing in the image:"; echo "$missing"; exit 1; }
	known=$(inroot ldconfig -p)
	for so in $SONAMES; do
		echo "$known" | grep -q "^[[:space:]]*$so " || { echo "smoke: $so (dlopen.txt) is not in the image"; exit 1; }
	done
	echo "smoke: every linked library and $(echo $SONAMES | wc -w) dlopen sonames present"
	echo "+ kiosk check-config $APP/config.toml"
	inroot "$APP/bin/kiosk" check-config "$APP/config.toml"
	echo "+ kiosk detect --config $APP/config.toml --json /tmp/dog.jpg"
	out=$(inroot "$APP/bin/kiosk" detect --config "$APP/config.toml" --json /tmp/dog.jpg)
	echo "$out"
	echo "$out" | grep -q "\"label\": *\"dog\"" || { echo "smoke: no dog found in dog.jpg"; exit 1; }
	if [ -n "$DISPLAY" ]; then
		mkdir -p "$ROOT/tmp/.X11-unix"
		mount --bind /tmp/.X11-unix "$ROOT/tmp/.X11-unix"
		echo "+ kiosk screenshot --source file:$APP/.cache/media/demo-reel.avi --at 3 --out /tmp/shot.png (Xvfb $DISPLAY)"
		inroot env HOME=/tmp XDG_CACHE_HOME=/tmp/cache "$APP/bin/kiosk" screenshot --config "$APP/config.toml" \
			--source "file:$APP/.cache/media/demo-reel.avi" --at 3 --out /tmp/shot.png --set display.fullscreen=false 2>&1 | tail -n 3
		[ -s "$ROOT/tmp/shot.png" ] || { echo "smoke: the window took no picture"; exit 1; }
		echo "smoke: the window drew through the image'"'"'s GL ($(stat -c %s "$ROOT/tmp/shot.png") byte PNG)"
	else
		echo "smoke: no Xvfb here, window not tried"
	fi
	echo "smoke: ok"
'
[ ! -s "$root/tmp/shot.png" ] || cp "$root/tmp/shot.png" "$top/build/image/smoke-window.png"
