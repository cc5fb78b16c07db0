#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, on what native/device-pack.sh packed into
# device-pack/ (no JDK or Maven needed there): the cuda conformance suite and GPU checks with
# -Dntk.require=cuda (a missing GPU fails), then the figures (Gram FP32/TF32/FP64 against the
# measured FMA peak, the structured NTK of NTK-ECRN, Lanczos top-10; each with its error against FP64), printed last.
# Bounded to 8 minutes in all: 4 for the suite, 4 for the figures.
#
# Usage: native/device-check.sh [n] [p]   (default 8192 16384)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pack="$root/device-pack"
java="$pack/jre/bin/java"
[ -x "$java" ] || { echo "device-check: no $java; run native/device-pack.sh first" >&2; exit 1; }
# Spelled out jar by jar: the console launcher does not expand "lib/*".
cp="$pack/test-classes$(printf ':%s' "$pack"/lib/*.jar)"
# JCuda unpacks its JNI libraries into java.io.tmpdir.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
jvm=(-Djava.io.tmpdir="$tmp" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  -XX:+UseParallelGC)

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total \
  --format=csv,noheader

echo "== cuda conformance suite and GPU checks (-Dntk.require=cuda)"
timeout 240 "$java" "${jvm[@]}" -Xmx8g -Dntk.require=cuda -jar "$pack/junit-console.jar" execute \
  --disable-banner --details=tree --class-path "$cp" \
  --select-class org.ntkengine.conformance.CudaAvailabilityTest \
  --select-class org.ntkengine.conformance.CudaConformanceTest \
  --select-class org.ntkengine.conformance.CudaGpuTest 2>&1 | grep -v 'incubator modules'
suite=${PIPESTATUS[0]}

echo "== figures"
timeout 240 "$java" "${jvm[@]}" -Xmx32g -cp "$cp" org.ntkengine.conformance.CudaDeviceCheck "$@" \
  2>&1 | grep -v 'incubator modules'
figures=${PIPESTATUS[0]}

echo "device-check: suite exit $suite, figures exit $figures"
[ "$suite" = 0 ] && [ "$figures" = 0 ]
