# Sourced by the ntk launcher and by bench/scripts/compare_gram.sh, so that both run the engine
# with the same JVM flags.

# The SIMD kernels are compiled by C2 after a twentieth of the usual invocation and loop counts.
# Until then they run in the interpreter and C1 code, where every vector operation allocates: the
# first product of a 2000x784 fp32 Gram took 0.85-0.94 s instead of 0.48-0.56 s (JDK 17; JDK 25
# 0.68-0.73 against 0.46-0.56), while 4096^3 products ran as fast as without the flag. "quiet"
# keeps the JVM from echoing the command on standard output.
NTK_JIT_FLAGS="-XX:CompileCommand=quiet"
NTK_JIT_FLAGS+=" -XX:CompileCommand=CompileThresholdScaling,org.ntkengine.simd.*::*,0.05"
#
# ntk_gc_flag JAVA_BIN prints the garbage-collector flag for that JVM. The collector changes how
# C2 compiles the SIMD micro-kernel's loop (its register allocation differs), and on our AVX-512
# host the products ran fastest with G1 on JDK 17 but with the parallel collector on JDK 25, about
# a tenth apart in compare_gram.sh either way. JDK 24 is where C2 began to expand G1's barriers
# late (JEP 475), so 24 and newer get the parallel collector and older JDKs G1. The version comes
# from the JDK's release file; without one the JVM's default collector is kept.
ntk_gc_flag() {
  local bin release major
  bin="$(readlink -f "$(command -v "$1")" 2>/dev/null || true)"
  release="${bin%/bin/java}/release"
  [ -n "$bin" ] && [ -f "$release" ] || return 0
  major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
  [ -n "$major" ] || return 0
  if [ "$major" -ge 24 ]; then
    echo "-XX:+UseParallelGC"
  else
    echo "-XX:+UseG1GC"
  fi
}
