#!/usr/bin/env python3
"""Top-10 eigenvalues of a dense 4096x4096 PSD kernel: `ntk spectrum` against scipy's eigsh.

Builds J (4096x2048, seeded, column j scaled by exp(-j/200)), writes Theta = J J^T as .npy,
times scipy.sparse.linalg.eigsh (ARPACK over OpenBLAS, best of 3) and
`ntk spectrum --kernel Theta.npy --top 10 --tol 1e-10 --repeat 3` in FP64 and FP32 side by side
in this one run, checks that the eigenvalues agree, and prints the ratios
ntk seconds / eigsh seconds (below 1 means ntk is faster).

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the environment before numpy loads, as in
the published eigsh figures. Skips (exit 0, with a message) when numpy or scipy is missing.

Usage: bench/scripts/compare_eigsh.py [--n 4096] [--p 2048] [--backend auto] [--workdir DIR]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

_BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(v in os.environ for v in _BLAS_VARS):
    env = {k: v for k, v in os.environ.items() if k not in _BLAS_VARS}
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

try:
    import numpy as np
    from scipy.sparse.linalg import LinearOperator, eigsh
except ImportError as e:  # the comparison needs both; nothing to measure without them
    print(f"compare_eigsh: skipped: {e.name} is not installed (pip install numpy scipy)")
    sys.exit(0)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def build_kernel(n, p, seed):
    rng = np.random.default_rng(seed)
    j = rng.standard_normal((n, p))
    j *= np.exp(-np.arange(p) / 200.0)[None, :]
    return j @ j.T


def time_eigsh(theta, k, tol, repeats):
    best = float("inf")
    values = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        w = eigsh(theta, k=k, which="LA", tol=tol, return_eigenvectors=False)
        best = min(best, time.perf_counter() - t0)
        values = np.sort(w)[::-1]
    return best, values


def count_eigsh_matvecs(theta, k, tol):
    # An untimed run through a counting operator: ARPACK's matvecs, to set beside ours.
    calls = [0]

    def matvec(x):
        calls[0] += 1
        return theta @ x

    op = LinearOperator(theta.shape, matvec=matvec, dtype=theta.dtype)
    eigsh(op, k=k, which="LA", tol=tol, return_eigenvectors=False)
    return calls[0]


def time_ntk(path, k, tol, repeats, precision, backend, workdir):
    out = os.path.join(workdir, f"ntk-{precision}.json")
    cmd = [os.path.join(ROOT, "ntk"), "spectrum", "--kernel", path, "--top", str(k),
           "--tol", str(tol), "--repeat", str(repeats), "--precision", precision,
           "--backend", backend, "--json", out]
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    with open(out) as f:
        report = json.load(f)
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--p", type=int, default=2048)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--tol", type=float, default=1e-10)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--precisions", default="fp64,fp32")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    workdir = args.workdir or tempfile.mkdtemp(prefix="ntk-eigsh-")
    os.makedirs(workdir, exist_ok=True)
    print(f"compare_eigsh: top-{args.k} of Theta = J J^T, J {args.n}x{args.p} with column j "
          f"scaled by exp(-j/200), seed {args.seed}, tol {args.tol:g}, best of {args.repeats}; "
          f"numpy {np.__version__}, files in {workdir}")
    theta = build_kernel(args.n, args.p, args.seed)
    path = os.path.join(workdir, "theta.npy")
    np.save(path, theta)

    failures = 0
    lines = []
    for precision in args.precisions.split(","):
        dtype = np.float32 if precision == "fp32" else np.float64
        th = theta.astype(dtype)
        scipy_tol = args.tol
        try:
            scipy_s, scipy_w = time_eigsh(th, args.k, scipy_tol, args.repeats)
        except Exception as e:  # ARPACK may refuse a tolerance below the precision's epsilon
            print(f"eigsh {precision}: failed at tol {args.tol:g} ({e}); retrying at tol 0 "
                  "(machine precision)")
            scipy_tol = 0
            scipy_s, scipy_w = time_eigsh(th, args.k, scipy_tol, args.repeats)
        scipy_mv = count_eigsh_matvecs(th, args.k, scipy_tol)
        print(f"eigsh {precision}: best of {args.repeats} {scipy_s:.4f} s, {scipy_mv} matvecs")
        report = time_ntk(path, args.k, args.tol, args.repeats, precision, args.backend, workdir)
        ours = np.array(report["eigenvalues"])
        rel = np.max(np.abs(ours - scipy_w) / np.abs(scipy_w[0]))
        allowed = 1e-5 if precision == "fp32" else 1e-9
        agree = rel <= allowed and report["converged"]
        failures += 0 if agree else 1
        lines.append(
            f"ratio {precision}: ntk/eigsh = {report['seconds'] / scipy_s:.2f} "
            f"(ntk {report['backend']} {report['seconds']:.4f} s, {report['matvecs']} matvecs, "
            f"{report['iterations']} restarts; eigsh {scipy_s:.4f} s, {scipy_mv} matvecs); "
            f"eigenvalues agree to "
            f"{rel:.1e}·λmax ({'ok' if agree else 'MISMATCH'}, allowed {allowed:g})")
    for line in lines:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
