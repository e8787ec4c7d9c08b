#!/usr/bin/env bash
# Lays the kiosk out in a root filesystem, the same for both image builds:
#   assemble.sh ROOT [BINDIR]
# /opt/carrier-arcade mirrors the repository's layout (bin/, config.toml,
# .cache/lib, .cache/models, .cache/media/demo-reel.*), so the default
# config.toml and its relative paths work unchanged inside the image.
# The demo reel is what the kiosk plays when no camera opens; the test
# pictures and clips stay out.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
root=${1:?usage: assemble.sh ROOT [BINDIR]}
bins=${2:-$top/bin/image}
app="$root/opt/carrier-arcade"

need() { [ -e "$1" ] || { echo "error: $1 is missing; $2" >&2; exit 1; }; }
need "$bins/kiosk" "run deploy/image/build-bins.sh"
need "$bins/kiosk-window" "run deploy/image/build-bins.sh"
need "$top/.cache/lib/libonnxruntime.so" "run 'make deps'"
need "$top/.cache/models/yolox_nano.onnx" "run 'make models'"
need "$top/.cache/media/demo-reel.avi" "run 'make .cache/media/demo-reel.avi' (make run builds it)"

install -d -m 755 "$app/bin" "$app/.cache/lib" "$app/.cache/models" "$app/.cache/media" "$app/data"
install -m 755 "$bins/kiosk" "$bins/kiosk-window" "$app/bin/"
ort=$(readlink -f "$top/.cache/lib/libonnxruntime.so")
install -m 644 "$ort" "$app/.cache/lib/"
ln -sfn "$(basename "$ort")" "$app/.cache/lib/libonnxruntime.so"
install -m 644 "$top"/.cache/models/*.onnx "$app/.cache/models/"
install -m 644 "$top/.cache/media/demo-reel.avi" "$app/.cache/media/"
[ -e "$top/.cache/media/demo-reel.items" ] && install -m 644 "$top/.cache/media/demo-reel.items" "$app/.cache/media/"
install -m 644 "$top/config.toml" "$app/config.toml"
# The kiosk runs as root in the pod (see deploy/base); data/ is where the
# leaderboard and link store go, a host folder mounted over it there.
echo "assembled $app" >&2
