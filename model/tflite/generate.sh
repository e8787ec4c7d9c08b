#!/usr/bin/env bash
# Regenerates the Go reading and building code for TFLite files from the
# TFLite schema, with Debian's flatc (package flatbuffers-compiler, 2.0.8).
#
# usage: model/tflite/generate.sh SCHEMA.fbs
#
# The schema is TensorFlow Lite's tensorflow/lite/schema/schema.fbs as of
# January 2023 (commit 8746ec938e4ecd3e3d3f158c70a0edcbe34ea5d4 of the
# tflite-micro repository, which carries TensorFlow's copy), the era of the
# MediaPipe files the kiosk converts; the schema only ever grows at the end,
# so this reads files written before it too. Only the types the converter
# and its tests use are kept (the full schema makes 154 files).
set -euo pipefail
schema=${1:?usage: $0 SCHEMA.fbs}
want=4ce0a96ee461db4a00e860f8129a06a7de7b5de63c45b5119ed47975e37dd8dd
got=$(sha256sum "$schema" | cut -d' ' -f1)
[ "$got" = "$want" ] || { echo "error: $schema has sha256 $got, want $want" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
flatc --go -o "$tmp" "$schema"
keep=(ActivationFunctionType AddOptions Buffer BuiltinOperator BuiltinOptions
	ConcatenationOptions Conv2DOptions CustomOptionsFormat DepthToSpaceOptions
	DepthwiseConv2DOptions DimensionMetadata DimensionType FullyConnectedOptions
	FullyConnectedOptionsWeightsFormat Int32Vector Metadata Model Operator
	OperatorCode Padding Pool2DOptions QuantizationDetails QuantizationParameters
	ReducerOptions ReshapeOptions ResizeBilinearOptions SignatureDef VariantSubType
	SparseIndexVector SparsityParameters SubGraph Tensor TensorMap TensorType
	Uint16Vector Uint8Vector)
rm -f "$here"/*_generated.go
for t in "${keep[@]}"; do
	cp "$tmp/tflite/$t.go" "$here/${t}_generated.go"
done
gofmt -w "$here"/*_generated.go
