#!/usr/bin/env bash
# Builds native/src/*.cu into one fatbin (SASS per architecture plus PTX for the newest, so that
# newer GPUs JIT it) under native/target/generated-resources, where engine-cuda picks it up as a
# class-path resource. Called by Maven (native/pom.xml); prints one line and succeeds without
# building anything when nvcc is absent, so the rest of the build goes on.
#
# Usage: build-fatbin.sh OUTPUT_DIR "ARCH ARCH ..." PTX_ARCH
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$1"
archs="$2"
ptx_arch="$3"
resource_dir="$out_dir/org/ntkengine/cuda"
fatbin="$resource_dir/ntk_kernels.fatbin"
info="$resource_dir/ntk_kernels.properties"

nvcc_bin=""
# NVCC=none builds as if nvcc were absent (to exercise the fallback on a machine that has it).
[ "${NVCC:-}" = none ] || for candidate in "${NVCC:-}" "$(command -v nvcc 2>/dev/null || true)" \
  "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" /usr/local/cuda/bin/nvcc /usr/local/bin/nvcc; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    nvcc_bin="$candidate"
    break
  fi
done
if [ -z "$nvcc_bin" ]; then
  reason="nvcc not found (NVCC=${NVCC:-unset}, PATH, CUDA_HOME/bin, /usr/local/cuda/bin)"
  echo "[ntk-native] $reason: CUDA kernels not built; the cuda backend will report itself" \
    "unavailable"
  rm -f "$fatbin"
  mkdir -p "$resource_dir"
  {
    echo "# written by native/build-fatbin.sh"
    echo "skipped=$reason"
  } >"$info"
  exit 0
fi

sources=("$here"/src/*.cu)
if [ -f "$fatbin" ] && [ -f "$info" ] && [ -z "$(find "${sources[@]}" "$0" -newer "$fatbin")" ] \
  && grep -qx "archs=$archs" "$info" && grep -qx "ptx=$ptx_arch" "$info"; then
  echo "[ntk-native] $fatbin is up to date"
  exit 0
fi

gencode=()
for arch in $archs; do
  if [ "$arch" = "$ptx_arch" ]; then
    gencode+=("-gencode" "arch=compute_$arch,code=[sm_$arch,compute_$arch]")
  else
    gencode+=("-gencode" "arch=compute_$arch,code=sm_$arch")
  fi
done

mkdir -p "$resource_dir"
# --no-compress keeps kernel names readable in every image, which the resource test checks;
# the whole fatbin stays near 1.5 MB.
"$nvcc_bin" -fatbin --no-compress -O3 -std=c++17 "${gencode[@]}" -o "$fatbin.tmp" "${sources[@]}"
mv "$fatbin.tmp" "$fatbin"
version="$("$nvcc_bin" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')"
{
  echo "# written by native/build-fatbin.sh"
  echo "nvcc=$version"
  echo "archs=$archs"
  echo "ptx=$ptx_arch"
} >"$info"
echo "[ntk-native] built $fatbin ($(wc -c <"$fatbin") bytes; nvcc $version; sm_${archs// /, sm_};" \
  "PTX compute_$ptx_arch)"
