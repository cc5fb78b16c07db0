#!/usr/bin/env bash
# Packs what native/device-check.sh needs on a GPU machine that has no JDK, no Maven and no
# network: a jlink'd JDK 25 runtime with only the modules used, the built engine jars, their
# dependencies, the test classes and the JUnit console launcher. Everything lands in
# device-pack/ at the repository root (git-ignored), to travel with the working tree; the script
# fails when the pack exceeds 64 MiB.
#
# Usage: native/device-pack.sh   (JDK25=/path/to/jdk overrides the JDK used for jlink)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jdk="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
pack="$root/device-pack"
limit=$((64 * 1024 * 1024))
junit_platform=1.14.4
console_jar="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit_platform/junit-platform-console-standalone-$junit_platform.jar"

[ -x "$jdk/bin/jlink" ] || { echo "device-pack: no jlink at $jdk/bin (set JDK25)" >&2; exit 1; }
rm -rf "$pack"
mkdir -p "$pack/lib"

echo "== build (engine jars, test classes, fatbin) and copy the dependencies"
# Dependencies of the tests module (which depends on every engine module), test scope included.
mvn -B -q -o -pl tests -am package -DskipTests -Dspotless.check.skip=true \
  dependency:copy-dependencies -DincludeScope=test -DexcludeTypes=pom \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
  -DoutputDirectory="$pack/lib"
[ -f "$root/engine-cuda/target/classes/org/ntkengine/cuda/ntk_kernels.fatbin" ] || {
  echo "device-pack: engine-cuda holds no fatbin (is nvcc installed?)" >&2
  exit 1
}
cp -r "$root/tests/target/test-classes" "$pack/test-classes"
if [ ! -f "$console_jar" ]; then
  mvn -B -q dependency:copy \
    "-Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    -DoutputDirectory="$(dirname "$console_jar")"
fi
# The console launcher carries JUnit itself, so no other JUnit jar goes into lib/.
cp "$console_jar" "$pack/junit-console.jar"

# JCuda's natives jar carries the runtime, NVRTC and PTX-compiler bindings too (26 MB); the
# backend needs only the driver binding.
natives="$(ls "$pack"/lib/jcuda-natives-*-linux-x86_64.jar)"
trim="$(mktemp -d)"
(cd "$trim" && "$jdk/bin/jar" xf "$natives" && rm -f lib/libJNvPTXCompiler-* lib/libJCudaRuntime-* \
  lib/libJNvrtc-* && "$jdk/bin/jar" cf "$natives.trimmed" -C "$trim" .)
mv "$natives.trimmed" "$natives"
rm -rf "$trim"

echo "== jlink"
# The union of what jdeps finds in each jar; java.logging backs System.Logger and
# jdk.incubator.vector is what engine-simd runs on.
modules="java.base,java.logging,jdk.incubator.vector,jdk.unsupported"
for f in "$pack/test-classes" "$pack/junit-console.jar" "$pack"/lib/*.jar; do
  found="$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$f" \
    2>/dev/null | tail -1 || true)"
  case "$found" in java.*|jdk.*) modules="$modules,$found" ;; esac
done
# java.desktop (EJML's and Commons Math's plotting classes) and java.sql (optional type
# converters in the console launcher) are referenced but never loaded by the code that runs here,
# and would add 20 MiB.
modules="$(echo "$modules" | tr ',' '\n' | grep -v -x -e java.desktop -e java.sql | sort -u \
  | paste -sd, -)"
"$jdk/bin/jlink" --add-modules "$modules" --compress=zip-9 --strip-debug --no-header-files \
  --no-man-pages --strip-native-debug-symbols=exclude-debuginfo-files --output "$pack/jre"
echo "modules: $modules"

size=$(du -sb "$pack" | cut -f1)
printf 'device-pack: %s, %.1f MiB (jre %.1f MiB, lib %.1f MiB, test classes %.1f MiB)\n' "$pack" \
  "$(echo "$size / 1048576" | bc -l)" \
  "$(echo "$(du -sb "$pack/jre" | cut -f1) / 1048576" | bc -l)" \
  "$(echo "$(du -sb "$pack/lib" | cut -f1) / 1048576" | bc -l)" \
  "$(echo "$(du -sb "$pack/test-classes" | cut -f1) / 1048576" | bc -l)"
if [ "$size" -gt "$limit" ]; then
  echo "device-pack: $size bytes exceed the 64 MiB the device machine accepts" >&2
  exit 1
fi
