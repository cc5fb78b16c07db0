package org.ntkengine.linalg;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;

/**
 * Matrix functions of a symmetric positive semi-definite operator applied to a vector, f(Θ)·v,
 * without a dense eigendecomposition: the Lanczos approximation ‖v‖·Q_j·f(T_j)·e₁ (Saad, SIAM J.
 * Numer. Anal. 29, 1992) for the exponentials, and conjugate gradients for the resolvent. The
 * Krylov basis lives in the operator's backend; vectors cross to the host only at entry and exit.
 *
 * <p>The error estimate of the Lanczos path is the norm of the change between the approximation at
 * j steps and at j − {@value #CHECK_EVERY} steps, the usual a-posteriori estimate; it stops when
 * that is at most tol·‖v‖·max|f(θ)| over the Ritz values θ. An invariant subspace (breakdown) makes
 * the result exact and the estimate 0. Once convergence is superlinear (the usual case for these
 * entire functions) the estimate is the error of the earlier iterate, so it overstates the error;
 * before that, while the Krylov space has not yet reached the part of the spectrum that dominates
 * f(Θ)·v (e^{−tΘ} with t·λ_max in the hundreds, after a handful of steps), it can understate it.
 */
public final class KrylovFunctions {
  /** Steps between two evaluations of f(T_j) (each costs O(j³) on the host). */
  public static final int CHECK_EVERY = 4;

  private KrylovFunctions() {}

  /**
   * The result of a Krylov approximation.
   *
   * @param value the approximation of f(Θ)·v (or the solution x), length n
   * @param errorEstimate the estimated absolute error ‖value − exact‖ (for {@link #solve}: the
   *     residual norm ‖(Θ + λI)·x − b‖, recomputed from x at the end)
   * @param steps Lanczos or CG steps taken, each one operator application
   * @param converged whether the estimate met the tolerance within the step budget
   */
  public record Result(double[] value, double errorEstimate, int steps, boolean converged) {}

  /**
   * e^{−tΘ}·v: the decay of the residual under linearised gradient flow for time t.
   *
   * @param op Θ
   * @param t the time, ≥ 0 (for gradient descent with step η on n samples, t = η·steps/n)
   * @param v the vector, length n
   * @param tol the relative tolerance, positive
   * @param maxSteps the step budget, at least 1 (capped at n, where the method is exact)
   * @return the approximation and its error estimate
   * @throws NtkException (usage) when an argument is out of range
   */
  public static Result exp(SymmetricOperator op, double t, double[] v, double tol, int maxSteps) {
    requireTime(t);
    return apply(op, x -> Math.exp(-t * x), v, tol, maxSteps);
  }

  /**
   * (I − e^{−tΘ})·v, computed as −expm1(−tθ) on the Ritz values so that small eigenvalues keep
   * their relative accuracy: the part of the target learnt by time t under linearised training.
   *
   * @param op Θ
   * @param t the time, ≥ 0
   * @param v the vector, length n
   * @param tol the relative tolerance, positive
   * @param maxSteps the step budget, at least 1
   * @return the approximation and its error estimate
   * @throws NtkException (usage) when an argument is out of range
   */
  public static Result oneMinusExp(
      SymmetricOperator op, double t, double[] v, double tol, int maxSteps) {
    requireTime(t);
    return apply(op, x -> -Math.expm1(-t * x), v, tol, maxSteps);
  }

  /**
   * f(Θ)·v for a function f defined on the spectrum, by the Lanczos approximation.
   *
   * @param op Θ
   * @param f the function, evaluated at Ritz values (real numbers near [λ_min, λ_max])
   * @param v the vector, length n
   * @param tol the tolerance relative to ‖v‖·max|f(θ)|, positive
   * @param maxSteps the step budget, at least 1 (capped at n)
   * @return the approximation and its error estimate
   * @throws NtkException (usage) when an argument is out of range
   */
  public static Result apply(
      SymmetricOperator op, DoubleUnaryOperator f, double[] v, double tol, int maxSteps) {
    int n = op.size();
    requireVector(v, n);
    requireTolerance(tol, maxSteps);
    double vNorm = norm(v);
    if (vNorm == 0.0 || n == 0) {
      return new Result(new double[n], 0.0, 0, true);
    }
    int cap = Math.min(maxSteps, n);
    try (KrylovBasis basis = new KrylovBasis(op, cap + 1, 1L)) {
      Backend be = basis.backend;
      basis.setRow(0, v);
      double[] alpha = new double[cap];
      double[] beta = new double[cap];
      double[] previous = new double[0];
      double[] coeffs = null;
      double error = Double.POSITIVE_INFINITY;
      boolean converged = false;
      int j = 0;
      while (j < cap) {
        basis.applyTo(j);
        double[] c = basis.orthogonalize(basis.work(), j + 1);
        alpha[j] = c[j];
        double b = be.norm(basis.work());
        double scale = Math.max(Math.abs(alpha[j]), j > 0 ? beta[j - 1] : 0.0);
        boolean invariant = b <= 16 * basis.unitRoundoff() * Math.sqrt(n) * scale || j + 1 >= n;
        j++;
        if (!invariant) {
          beta[j - 1] = b;
          basis.setRowFromWork(j, 1.0 / b);
        }
        if (invariant || j == cap || j % CHECK_EVERY == 0) {
          double[] fScale = new double[1];
          coeffs = projected(alpha, beta, j, f, vNorm, fScale);
          error = invariant ? 0.0 : difference(coeffs, previous);
          previous = coeffs;
          if (error <= tol * vNorm * fScale[0]) {
            converged = true;
            break;
          }
          if (invariant) {
            converged = true;
            break;
          }
        }
      }
      double[] out = new double[n];
      try (Matrix y = be.allocate(1, n, basis.precision)) {
        basis.combine(coeffs, 1, j, y);
        be.download(y, out);
      }
      return new Result(out, error, j, converged);
    }
  }

  /**
   * Solves (Θ + λI)·x = b by conjugate gradients (Hestenes and Stiefel, 1952): kernel regression
   * with an optional ridge. Θ must be positive definite on b's Krylov space when λ = 0 (b in the
   * range of a singular Θ is fine).
   *
   * @param op Θ
   * @param ridge λ ≥ 0
   * @param b the right-hand side, length n
   * @param tol stop when ‖(Θ + λI)·x − b‖ ≤ tol·‖b‖ (the recursively updated residual)
   * @param maxSteps the iteration budget, at least 1
   * @return x with the final residual norm as its error estimate
   * @throws NtkException (usage) when an argument is out of range
   */
  public static Result solve(
      SymmetricOperator op, double ridge, double[] b, double tol, int maxSteps) {
    return solve(op, ridge, new double[][] {b}, tol, maxSteps)[0];
  }

  /**
   * Solves (Θ + λI)·x_c = b_c for several right-hand sides at once (one per output of a kernel
   * regression): independent conjugate-gradient recurrences whose operator applications are made as
   * one block product per iteration, which the backends run faster than separate vectors.
   *
   * @param op Θ
   * @param ridge λ ≥ 0
   * @param rhs the right-hand sides, each of length n
   * @param tol stop each when its residual is at most tol·‖b_c‖
   * @param maxSteps the iteration budget, at least 1
   * @return one result per right-hand side; steps counts the iterations that one took, and
   *     errorEstimate is its true residual norm ‖(Θ + λI)·x_c − b_c‖ recomputed at the end
   * @throws NtkException (usage) when an argument is out of range
   */
  public static Result[] solve(
      SymmetricOperator op, double ridge, double[][] rhs, double tol, int maxSteps) {
    int n = op.size();
    int r = rhs.length;
    for (double[] b : rhs) {
      requireVector(b, n);
    }
    requireTolerance(tol, maxSteps);
    if (!(ridge >= 0.0) || !Double.isFinite(ridge)) {
      throw NtkException.usage("the ridge λ must be finite and ≥ 0, got " + ridge);
    }
    Result[] results = new Result[r];
    if (r == 0) {
      return results;
    }
    double[] flat = new double[r * n];
    double[] bNorm = new double[r];
    for (int c = 0; c < r; c++) {
      System.arraycopy(rhs[c], 0, flat, c * n, n);
      bNorm[c] = norm(rhs[c]);
    }
    Backend be = op.backend();
    try (Matrix x = be.allocate(r, n, op.precision());
        Matrix res = be.allocate(r, n, op.precision());
        Matrix p = be.allocate(r, n, op.precision());
        Matrix ap = be.allocate(r, n, op.precision())) {
      be.upload(flat, res);
      be.copy(res, p);
      double[] rr = new double[r];
      boolean[] active = new boolean[r];
      boolean[] converged = new boolean[r];
      int[] steps = new int[r];
      int activeCount = 0;
      for (int c = 0; c < r; c++) {
        Matrix rc = be.viewRows(res, c, 1);
        rr[c] = be.dot(rc, rc);
        active[c] = bNorm[c] > 0.0;
        converged[c] = !active[c];
        activeCount += active[c] ? 1 : 0;
      }
      for (int iteration = 0; iteration < maxSteps && activeCount > 0; iteration++) {
        op.apply(p, ap);
        if (ridge != 0.0) {
          be.axpby(ridge, p, 1.0, ap);
        }
        for (int c = 0; c < r; c++) {
          if (!active[c]) {
            continue;
          }
          Matrix pc = be.viewRows(p, c, 1);
          Matrix apc = be.viewRows(ap, c, 1);
          Matrix rc = be.viewRows(res, c, 1);
          steps[c]++;
          double pap = be.dot(pc, apc);
          if (!(pap > 0.0)) {
            // Θ + λI is singular along p: b has a component in the null space.
            active[c] = false;
            activeCount--;
            continue;
          }
          double a = rr[c] / pap;
          be.axpby(a, pc, 1.0, be.viewRows(x, c, 1));
          be.axpby(-a, apc, 1.0, rc);
          double rrNext = be.dot(rc, rc);
          if (Math.sqrt(rrNext) <= tol * bNorm[c]) {
            converged[c] = true;
            active[c] = false;
            activeCount--;
          } else {
            be.axpby(1.0, rc, rrNext / rr[c], pc);
          }
          rr[c] = rrNext;
        }
      }

      // The recursive residual drifts from the true one; report the true one.
      be.upload(flat, res);
      op.apply(x, ap);
      if (ridge != 0.0) {
        be.axpby(ridge, x, 1.0, ap);
      }
      be.axpby(1.0, ap, -1.0, res);
      double[] out = new double[r * n];
      be.download(x, out);
      for (int c = 0; c < r; c++) {
        double residual = be.norm(be.viewRows(res, c, 1));
        results[c] =
            new Result(
                Arrays.copyOfRange(out, c * n, (c + 1) * n), residual, steps[c], converged[c]);
      }
      return results;
    }
  }

  // Coefficients ‖v‖·f(T_j)·e₁ in the basis; fScale[0] receives max|f(θ)|.
  private static double[] projected(
      double[] alpha, double[] beta, int j, DoubleUnaryOperator f, double vNorm, double[] fScale) {
    SymmetricEigen eig =
        SymmetricEigen.tridiagonal(
            Arrays.copyOf(alpha, j), Arrays.copyOf(beta, Math.max(0, j - 1)));
    double[] fy = new double[j];
    double max = 0.0;
    for (int i = 0; i < j; i++) {
      double fv = f.applyAsDouble(eig.values()[i]);
      max = Math.max(max, Math.abs(fv));
      fy[i] = fv * eig.vector(0, i);
    }
    fScale[0] = max;
    double[] coeffs = new double[j];
    for (int r = 0; r < j; r++) {
      double s = 0.0;
      for (int i = 0; i < j; i++) {
        s += eig.vector(r, i) * fy[i];
      }
      coeffs[r] = vNorm * s;
    }
    return coeffs;
  }

  private static double difference(double[] current, double[] previous) {
    double s = 0.0;
    for (int i = 0; i < current.length; i++) {
      double d = current[i] - (i < previous.length ? previous[i] : 0.0);
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static void requireTime(double t) {
    if (!(t >= 0.0) || !Double.isFinite(t)) {
      throw NtkException.usage("the time t must be finite and ≥ 0, got " + t);
    }
  }

  static void requireVector(double[] v, int n) {
    if (v == null || v.length != n) {
      throw NtkException.usage(
          "the vector has "
              + (v == null ? "no" : String.valueOf(v.length))
              + " elements; the operator needs "
              + n);
    }
  }

  private static void requireTolerance(double tol, int maxSteps) {
    if (!(tol > 0.0) || !Double.isFinite(tol)) {
      throw NtkException.usage("the tolerance must be positive, got " + tol);
    }
    if (maxSteps < 1) {
      throw NtkException.usage("the step budget must be at least 1, got " + maxSteps);
    }
  }

  static double norm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
