#!/usr/bin/env bash
# Side-by-side throughput of OpenBLAS (through numpy) and ntk on one host, in one run:
# SGEMM and DGEMM n×n×n, and the Gram J·Jᵀ of an n×p J in fp32 and fp64 (counted as 2·n²·p
# flops, although numpy calls syrk and ntk's symmetric Gram also does half the work). Prints
# one ratio line per case: ntk GFLOP/s divided by numpy's, best of REPEAT for both. A second
# ratio divides by CPU time (all threads of each process) instead of wall time: on a host shared
# with other busy processes the wall-time ratio mostly measures who got the cores.
#
# Usage: bench/scripts/compare_gram.sh [n] [p]      (defaults 4096 8192)
# Env:   REPEAT (default 3), BACKEND (default auto), JAVA_HOME (the JDK that runs ntk),
#        NTK_JAVA_OPTS (JVM options for ntk, default -Xmx12g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-4096}"
p="${2:-8192}"
repeat="${REPEAT:-3}"
backend="${BACKEND:-auto}"

if ! command -v python3 >/dev/null || ! python3 -c 'import numpy' 2>/dev/null; then
  echo "compare_gram: python3 with numpy is not installed; skipping the OpenBLAS comparison" \
    "(pip install numpy, then run this again)"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ntk-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ---- numpy: write the inputs, then time OpenBLAS. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
# would pin a kernel or a cache size; they are unset for this command only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 - "$n" "$p" "$repeat" "$work" <<'PY'
import json, sys, time
import numpy as np
n, p, repeat, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.default_rng(2024)
out = {}
for name, dt in (("fp32", np.float32), ("fp64", np.float64)):
    j = (2 * rng.random((n, p)) - 1).astype(dt)
    np.save(f"{work}/J_{name}.npy", j)
    a = (2 * rng.random((n, n)) - 1).astype(dt)
    b = (2 * rng.random((n, n)) - 1).astype(dt)
    for case, flops, run in (("gemm", 2.0 * n**3, lambda: a @ b),
                             ("gram", 2.0 * n * n * p, lambda: j @ j.T)):
        wall = cpu = float("inf")
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            run()
            wall = min(wall, time.perf_counter() - t)
            cpu = min(cpu, time.process_time() - c)
        out[f"{case}_{name}"] = {"gflops": flops / wall / 1e9, "cpu_gflops": flops / cpu / 1e9}
    del j, a, b
json.dump(out, open(f"{work}/numpy.json", "w"))
PY

# ---- ntk: the Gram through `ntk gram`, the general product through bench's ProductTiming.
"$root/ntk" backends | grep -E '^(simd|reference|cuda) |auto picks' || true
for prec in fp32 fp64; do
  "$root/ntk" gram "$work/J_$prec.npy" --backend "$backend" --precision "$prec" \
    --repeat "$repeat" --json "$work/gram_$prec.json" >/dev/null
done
bench_jar="$(ls "$root"/bench/target/ntk-bench-*.jar | head -1)"
java_bin="java"
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
# The same collector and JIT flags as the ntk launcher uses with this JDK.
. "$root/cli/jvm-flags.sh"
timing() {
  "$java_bin" --add-modules=jdk.incubator.vector $(ntk_gc_flag "$java_bin") $NTK_JIT_FLAGS ${NTK_JAVA_OPTS:--Xmx12g} \
    -cp "$bench_jar:$root/cli/target/lib/*" org.ntkengine.bench.ProductTiming "$@" "$backend" \
    2>/dev/null
}
for prec in fp32 fp64; do
  timing gemm "$prec" "$n" "$n" "$n" "$repeat" >"$work/gemm_$prec.json"
  # The same Gram again, for its CPU time (ntk gram reports wall time only).
  timing gram "$prec" "$n" "$n" "$p" "$repeat" >"$work/gramcpu_$prec.json"
done

# ---- ratios
python3 - "$work" "$n" "$p" "$("$java_bin" -version 2>&1 | head -1)" <<'PY'
import json, sys
work, n, p, jvm = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
numpy = json.load(open(f"{work}/numpy.json"))
print(f"host: {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}"
      f"; ntk on {jvm}")
for case, label in (("gemm_fp32", f"SGEMM {n}^3"), ("gemm_fp64", f"DGEMM {n}^3"),
                    ("gram_fp32", f"Gram J·Jᵀ fp32, J {n}x{p}"),
                    ("gram_fp64", f"Gram J·Jᵀ fp64, J {n}x{p}")):
    ours = json.load(open(f"{work}/{case}.json"))
    cpu = json.load(open(f"{work}/{case.replace('gram', 'gramcpu')}.json"))["cpu_gflops"]
    ref = numpy[case]
    print(f"{label:30s} numpy {ref['gflops']:7.1f} GFLOP/s  ntk {ours['backend']} "
          f"{ours['gflops']:7.1f} GFLOP/s  ratio {ours['gflops'] / ref['gflops']:.2f}"
          f"   | per CPU-second: numpy {ref['cpu_gflops']:7.1f}  ntk {cpu:7.1f}"
          f"  ratio {cpu / ref['cpu_gflops']:.2f}")
PY
