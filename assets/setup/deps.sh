#!/usr/bin/env bash
# make deps: the Debian packages to build and test, ONNX Runtime's shared
# library, and the demo media from Debian packages. Each step checks first and
# does nothing when its result is already in place.
source "$(dirname "$0")/common.sh"

# Build: OpenCV for gocv; X11/GL/ALSA headers for Ebitengine. Tests: Xvfb,
# and xdotool to press keys in the real window (the setup helper's test);
# Chromium and its chromedriver to open the hub's public page in a real
# browser, and zbar-tools to read the results screen's QR code back.
packages=(build-essential pkg-config libopencv-dev
	libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev
	libgl1-mesa-dev libxxf86vm-dev libasound2-dev xvfb xauth xdotool curl ca-certificates
	chromium chromium-driver zbar-tools)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches ONNX Runtime and the face models; a machine may have Node.js
# from elsewhere than Debian, so only ask for Debian's npm when none is found.
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing Debian packages: ${missing[*]}"
	command -v apt-get >/dev/null || die "apt-get not found; install these packages by hand: ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ONNX Runtime: no Debian package is new enough (onnxruntime_go v1.27 needs
# C API 24, ONNX Runtime 1.24+), so take the official build that npm ships.
ort_version=1.30.0
ort_tgz_sha=6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75
ort_lib_sha=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
ort_lib="$cache/lib/libonnxruntime.so.$ort_version"
if ! sha_ok "$ort_lib" "$ort_lib_sha"; then
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
	tgz=$(npm_pack "onnxruntime-node@$ort_version" "$ort_tgz_sha" "$tmp")
	tar -xzf "$tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
	sha_ok "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ort_lib_sha" ||
		die "libonnxruntime.so.1 inside onnxruntime-node@$ort_version has an unexpected checksum"
	install_file "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ort_lib"
	rm -rf "$tmp"; trap - EXIT
	say "ONNX Runtime $ort_version installed at $ort_lib"
fi
ln -sfn "libonnxruntime.so.$ort_version" "$cache/lib/libonnxruntime.so"

"$(dirname "$0")/media.sh"
