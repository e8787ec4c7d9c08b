#!/usr/bin/env bash
# The one build step both image builds use ('make image' here, the
# Containerfile's build stage elsewhere): the kiosk's two programs, built for
# the image into OUT (default bin/image/).
#   -tags customenv  gocv takes its flags from CGO_* below instead of
#                    'pkg-config opencv4', which names all 50 OpenCV modules;
#                    this names only the 11 that gocv's own C++ code calls.
#   -s -w            no symbol table nor DWARF (about a third of each program);
#   -trimpath        no build machine paths inside.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bin/image}
mkdir -p "$out"

modules=(core imgproc imgcodecs videoio highgui objdetect dnn video calib3d features2d photo)
libs=()
for m in "${modules[@]}"; do libs+=("-lopencv_$m"); done
export CGO_ENABLED=1
export CGO_CPPFLAGS="-I/usr/include/opencv4"
export CGO_CXXFLAGS="-O2 --std=c++11"
export CGO_LDFLAGS="${libs[*]} -Wl,--as-needed"

${GO:-go} build -tags customenv -trimpath -ldflags "-s -w" -o "$out/" ./cmd/kiosk ./cmd/kiosk-window
ls -l "$out/kiosk" "$out/kiosk-window" >&2
