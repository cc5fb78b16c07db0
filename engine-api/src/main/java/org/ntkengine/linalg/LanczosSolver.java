package org.ntkengine.linalg;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;

/**
 * Extreme eigenpairs of a symmetric positive semi-definite operator by thick-restart Lanczos (Wu
 * and Simon, SIAM J. Matrix Anal. Appl. 22, 2000; equivalent to Krylov–Schur for symmetric
 * problems) with full reorthogonalisation.
 *
 * <p>The Krylov basis lives in the operator's backend as the rows of one matrix, and every step is
 * made of backend operations: one operator application, two passes of block Gram–Schmidt (four
 * matrix products) and a norm. Only the small projected matrix (basis size m, by default max(3k, k
 * + 32)) is decomposed on the host, in float64.
 *
 * <p>Robustness: an invariant subspace (breakdown: the new direction vanishes) is continued with a
 * fresh seeded random vector orthogonal to the basis, which is how the zero operator, the identity,
 * repeated eigenvalues and a start vector in the null space are handled; when m reaches n the basis
 * is the whole space and the answer exact up to rounding. When the wanted pairs have converged, a
 * short verification cycle (max(16, k) steps) locks them and explores a fresh random direction
 * orthogonal to them, so that further copies of a repeated eigenvalue (invisible from a single
 * start vector, which meets each eigenspace in one direction) are found; it can be switched off.
 * Like every Krylov method it can still miss a copy of the k-th eigenvalue itself, or of one
 * clustered with it within the verification cycle's resolution; ask for a few more pairs than
 * needed when that matters.
 *
 * <p>Convergence: every wanted pair has ‖Θv − λv‖ ≤ tol·λ_max (estimated by the Lanczos relation,
 * then checked on the final vectors). Single-precision runs cannot reach 1e-10; the tolerance is
 * raised to the precision's floor 4·u·√n (u = 2⁻²⁴ in FP32, 2⁻⁵³ in FP64) and the result says which
 * tolerance applied.
 *
 * <p>Instances are immutable and may be shared; each {@link #solve} allocates its own workspace.
 */
public final class LanczosSolver {
  private static final Logger LOG = System.getLogger(LanczosSolver.class.getName());

  /** Lanczos steps of the verification cycle (at least k): enough to expose a missed copy. */
  private static final int VERIFY_STEPS = 16;

  /** Which end of the spectrum to compute. */
  public enum Which {
    /** The k largest eigenvalues, returned in descending order. */
    LARGEST,
    /** The k smallest eigenvalues, returned in ascending order. */
    SMALLEST
  }

  /**
   * Solver settings.
   *
   * @param tol relative residual tolerance: stop when every wanted pair has ‖Θv − λv‖ ≤ tol·λ_max;
   *     raised to the precision's floor 4·u·√n
   * @param basisSize the Krylov basis size m, or 0 for the default max(3k, k + 32); capped at n,
   *     where the method is exact
   * @param maxMatvecs the budget of operator applications; the best estimates are returned
   *     unconverged when it is spent. It is checked between cycles, so a solve may use up to one
   *     cycle (m) plus k (the final residuals) more
   * @param maxRestarts the budget of restart cycles
   * @param seed seeds every random vector (start vector and continuations after breakdown)
   * @param startVector an optional start vector of length n (null: seeded random)
   * @param computeVectors whether the result carries eigenvectors
   * @param verify whether a converged solve runs a short cycle from a fresh random direction to
   *     find copies of repeated eigenvalues
   */
  public record Options(
      double tol,
      int basisSize,
      long maxMatvecs,
      int maxRestarts,
      long seed,
      double[] startVector,
      boolean computeVectors,
      boolean verify) {

    /**
     * The defaults: tol 1e-10, default basis size, 20 000 operator applications, 2 000 restarts,
     * seed 1, random start, no eigenvectors, verification on.
     *
     * @return the default options
     */
    public static Options defaults() {
      return new Options(1e-10, 0, 20_000, 2_000, 1L, null, false, true);
    }

    /**
     * Returns a copy with another tolerance.
     *
     * @param value the relative tolerance, positive
     * @return the options
     */
    public Options withTol(double value) {
      return new Options(
          value, basisSize, maxMatvecs, maxRestarts, seed, startVector, computeVectors, verify);
    }

    /**
     * Returns a copy with another basis size.
     *
     * @param value the basis size, or 0 for the default
     * @return the options
     */
    public Options withBasisSize(int value) {
      return new Options(
          tol, value, maxMatvecs, maxRestarts, seed, startVector, computeVectors, verify);
    }

    /**
     * Returns a copy with another budget of operator applications.
     *
     * @param value the budget, positive
     * @return the options
     */
    public Options withMaxMatvecs(long value) {
      return new Options(
          tol, basisSize, value, maxRestarts, seed, startVector, computeVectors, verify);
    }

    /**
     * Returns a copy with another budget of restart cycles.
     *
     * @param value the budget, positive
     * @return the options
     */
    public Options withMaxRestarts(int value) {
      return new Options(
          tol, basisSize, maxMatvecs, value, seed, startVector, computeVectors, verify);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param value the seed
     * @return the options
     */
    public Options withSeed(long value) {
      return new Options(
          tol, basisSize, maxMatvecs, maxRestarts, value, startVector, computeVectors, verify);
    }

    /**
     * Returns a copy with a given start vector.
     *
     * @param value the start vector of length n, or null for a seeded random one
     * @return the options
     */
    public Options withStartVector(double[] value) {
      return new Options(
          tol,
          basisSize,
          maxMatvecs,
          maxRestarts,
          seed,
          value == null ? null : value.clone(),
          computeVectors,
          verify);
    }

    /**
     * Returns a copy that does or does not compute eigenvectors.
     *
     * @param value whether to return eigenvectors
     * @return the options
     */
    public Options withVectors(boolean value) {
      return new Options(tol, basisSize, maxMatvecs, maxRestarts, seed, startVector, value, verify);
    }

    /**
     * Returns a copy with the verification cycle on or off.
     *
     * @param value whether to verify
     * @return the options
     */
    public Options withVerify(boolean value) {
      return new Options(
          tol, basisSize, maxMatvecs, maxRestarts, seed, startVector, computeVectors, value);
    }
  }

  private final Options options;

  /**
   * Creates a solver.
   *
   * @param options the settings
   * @throws NtkException (usage) when a setting is out of range
   */
  public LanczosSolver(Options options) {
    if (!(options.tol() > 0.0) || !Double.isFinite(options.tol())) {
      throw NtkException.usage("the Lanczos tolerance must be positive, got " + options.tol());
    }
    if (options.basisSize() < 0) {
      throw NtkException.usage(
          "the Krylov basis size must be positive (or 0 for the default), got "
              + options.basisSize());
    }
    if (options.maxMatvecs() < 1 || options.maxRestarts() < 1) {
      throw NtkException.usage(
          "the Lanczos budget must be positive, got "
              + options.maxMatvecs()
              + " operator applications and "
              + options.maxRestarts()
              + " restarts");
    }
    this.options = options;
  }

  /** Creates a solver with {@link Options#defaults()}. */
  public LanczosSolver() {
    this(Options.defaults());
  }

  /**
   * Returns the settings.
   *
   * @return the options
   */
  public Options options() {
    return options;
  }

  /**
   * The k largest eigenpairs with the default options at a given tolerance.
   *
   * @param op Θ
   * @param k how many, 1 ≤ k ≤ n
   * @param tol the relative residual tolerance
   * @return the eigenvalues in descending order, without eigenvectors
   * @throws NtkException (usage) when k is out of range
   */
  public static LanczosResult top(SymmetricOperator op, int k, double tol) {
    return new LanczosSolver(Options.defaults().withTol(tol)).solve(op, k, Which.LARGEST);
  }

  /**
   * The k smallest eigenpairs with the default options at a given tolerance.
   *
   * @param op Θ
   * @param k how many, 1 ≤ k ≤ n
   * @param tol the relative residual tolerance
   * @return the eigenvalues in ascending order, without eigenvectors
   * @throws NtkException (usage) when k is out of range
   */
  public static LanczosResult bottom(SymmetricOperator op, int k, double tol) {
    return new LanczosSolver(Options.defaults().withTol(tol)).solve(op, k, Which.SMALLEST);
  }

  /**
   * Computes k eigenpairs at one end of the spectrum.
   *
   * @param op Θ, symmetric positive semi-definite, n×n
   * @param k how many, 1 ≤ k ≤ n
   * @param which the end of the spectrum
   * @return the eigenpairs, residuals and counts; {@code converged} false when the budget ran out
   * @throws NtkException (usage) when k is out of range or the start vector has the wrong length or
   *     is zero
   */
  public LanczosResult solve(SymmetricOperator op, int k, Which which) {
    int n = op.size();
    if (k < 1 || k > n) {
      throw NtkException.usage(
          "asked for "
              + k
              + " eigenvalues of a "
              + n
              + "x"
              + n
              + " operator: choose k between 1 and "
              + n);
    }
    double[] start = options.startVector();
    if (start != null && start.length != n) {
      throw NtkException.usage(
          "the start vector has " + start.length + " elements; the operator needs " + n);
    }
    int m = options.basisSize() > 0 ? options.basisSize() : Math.max(3 * k, k + 32);
    m = Math.max(m, Math.min(n, k + 2));
    m = Math.min(m, n);
    try (KrylovBasis basis = new KrylovBasis(op, m + 1, options.seed())) {
      return new Run(basis, k, m, which).solve();
    }
  }

  /** One solve's state: the projected matrix T and the cycle bookkeeping. */
  private final class Run {
    private final KrylovBasis basis;
    private final Backend be;
    private final int n;
    private final int k;
    private final int m;
    private final Which which;
    private final double[] t;
    private final double tolEff;
    private double lambdaMax;
    private int restarts;

    Run(KrylovBasis basis, int k, int m, Which which) {
      this.basis = basis;
      this.be = basis.backend;
      this.n = basis.n;
      this.k = k;
      this.m = m;
      this.which = which;
      this.t = new double[m * m];
      this.tolEff = Math.max(options.tol(), 4 * basis.unitRoundoff() * Math.sqrt(n));
    }

    LanczosResult solve() {
      double[] start = options.startVector();
      boolean started = false;
      if (start != null) {
        if (!(norm(start) > 0.0)) {
          throw NtkException.usage("the start vector is zero: give a nonzero one or none");
        }
        started = basis.setRow(0, start);
      }
      if (!started) {
        basis.setRandomRow(0);
      }

      int kept = 0;
      int size = m;
      boolean verifying = false;
      int checkFailures = 0;
      while (true) {
        double betaLast = extend(kept, size);
        restarts++;
        SymmetricEigen eig = SymmetricEigen.decompose(t, size, m);
        int[] order = wantedOrder(eig.values());
        for (double v : eig.values()) {
          lambdaMax = Math.max(lambdaMax, Math.abs(v));
        }
        boolean estimatesConverged = true;
        for (int i = 0; i < k; i++) {
          double estimate = Math.abs(betaLast * eig.vector(size - 1, order[i]));
          if (estimate > tolEff * lambdaMax) {
            estimatesConverged = false;
          }
        }
        boolean full = m == n;
        boolean budgetSpent =
            basis.matvecs() + (m - k) > options.maxMatvecs() || restarts >= options.maxRestarts();

        if (estimatesConverged && !full && options.verify() && !verifying && !budgetSpent) {
          // Lock the converged pairs and explore a random direction orthogonal to them: a copy of
          // a repeated eigenvalue that the start vector could not see shows up as a new Ritz value
          // among the wanted ones within a few steps, and the solve goes on.
          restartWith(eig, order, k, 0.0, size);
          if (basis.setRandomRow(k)) {
            kept = k;
            size = Math.min(m, k + Math.max(VERIFY_STEPS, k));
            verifying = true;
            continue;
          }
        }
        if (estimatesConverged || full || budgetSpent) {
          LanczosResult result = finish(eig, order, full || estimatesConverged, size);
          if (result.converged() || budgetSpent || full || checkFailures >= 2) {
            log(result);
            return result;
          }
          // The estimates and the final vectors disagree (rounding): run more cycles.
          checkFailures++;
        }
        verifying = false;
        int keep = Math.min(size - 1, k + (m - k) / 2);
        restartWith(eig, order, keep, betaLast, size);
        basis.copyRow(size, keep);
        kept = keep;
        size = m;
      }
    }

    // Lanczos steps j = from .. to−1 on T's leading to×to block; returns β_{to−1}, the coupling
    // to row `to` (0 after a breakdown).
    private double extend(int from, int to) {
      double beta = 0.0;
      for (int j = from; j < to; j++) {
        double applied = basis.applyTo(j);
        double[] c = basis.orthogonalize(basis.work(), j + 1);
        t[j * m + j] = c[j];
        beta = be.norm(basis.work());
        double scale = Math.max(lambdaMax, Math.max(applied, Math.abs(c[j])));
        boolean breakdown = j + 1 >= n || beta <= 4 * basis.unitRoundoff() * Math.sqrt(n) * scale;
        if (breakdown) {
          beta = 0.0;
          // The basis spans an invariant subspace: go on from a fresh direction, uncoupled.
          if (!basis.setRandomRow(j + 1) && j + 1 < to) {
            throw new IllegalStateException(
                "no direction orthogonal to a basis of " + (j + 1) + " vectors in R^" + n);
          }
        } else {
          basis.setRowFromWork(j + 1, 1.0 / beta);
        }
        if (j + 1 < to) {
          t[j * m + j + 1] = beta;
          t[(j + 1) * m + j] = beta;
        }
      }
      return beta;
    }

    // Keeps the first `keep` wanted Ritz vectors of a basis of `size` rows as rows [0, keep) and
    // resets T to the arrowhead diag(θ) with couplings β·y_{size−1}; couplings 0 lock them.
    private void restartWith(SymmetricEigen eig, int[] order, int keep, double beta, int size) {
      double[] y = new double[keep * size];
      for (int i = 0; i < keep; i++) {
        for (int r = 0; r < size; r++) {
          y[i * size + r] = eig.vector(r, order[i]);
        }
      }
      try (Matrix ritz = be.allocate(keep, n, basis.precision)) {
        basis.combine(y, keep, size, ritz);
        basis.setRows(ritz, keep);
      }
      Arrays.fill(t, 0.0);
      for (int i = 0; i < keep; i++) {
        t[i * m + i] = eig.values()[order[i]];
        double s = beta * eig.vector(size - 1, order[i]);
        if (keep < m) {
          t[i * m + keep] = s;
          t[keep * m + i] = s;
        }
      }
    }

    private LanczosResult finish(
        SymmetricEigen eig, int[] order, boolean estimatesConverged, int size) {
      double[] y = new double[k * size];
      double[] values = new double[k];
      double zero = 16 * basis.unitRoundoff() * Math.sqrt(n) * lambdaMax;
      for (int i = 0; i < k; i++) {
        double v = eig.values()[order[i]];
        values[i] = Math.abs(v) <= zero ? 0.0 : v;
        for (int r = 0; r < size; r++) {
          y[i * size + r] = eig.vector(r, order[i]);
        }
      }
      double[] residuals = new double[k];
      double[][] vectors = options.computeVectors() ? new double[k][n] : null;
      try (Matrix x = be.allocate(k, n, basis.precision);
          Matrix r = be.allocate(k, n, basis.precision)) {
        basis.combine(y, k, size, x);
        basis.op.apply(x, r);
        basis.countMatvecs(k);
        for (int i = 0; i < k; i++) {
          Matrix ri = be.viewRows(r, i, 1);
          Matrix xi = be.viewRows(x, i, 1);
          be.axpby(-values[i], xi, 1.0, ri);
          residuals[i] = be.norm(ri);
          if (vectors != null) {
            be.download(xi, vectors[i]);
          }
        }
      }
      boolean converged = estimatesConverged;
      for (double res : residuals) {
        converged &= res <= tolEff * lambdaMax;
      }
      return new LanczosResult(
          values, vectors, residuals, lambdaMax, tolEff, restarts, basis.matvecs(), converged);
    }

    private int[] wantedOrder(double[] ascending) {
      int[] order = new int[ascending.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = which == Which.SMALLEST ? i : order.length - 1 - i;
      }
      return order;
    }

    private void log(LanczosResult r) {
      LOG.log(
          Level.DEBUG,
          () ->
              String.format(
                  "lanczos %s k=%d n=%d m=%d: %d restarts, %d matvecs, max residual %.3g·λmax%s",
                  which,
                  k,
                  n,
                  m,
                  r.iterations(),
                  r.matvecs(),
                  r.maxRelativeResidual(),
                  r.converged() ? "" : " (not converged)"));
    }
  }

  private static double norm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
