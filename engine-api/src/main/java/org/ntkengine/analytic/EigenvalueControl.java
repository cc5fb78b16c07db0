package org.ntkengine.analytic;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.ntkengine.NtkException;
import org.ntkengine.model.ModelSpec;

/**
 * Chooses the global branch scale α (α_l = α/√L) so that the infinite-width NTK of a training set
 * has a requested largest eigenvalue or condition number, by bisection on the analytic kernel, and
 * reports the bounds that hold beside the measured values.
 *
 * <p>Bounds (Θ is symmetric positive semi-definite): max_i Θ_ii ≤ λ_max ≤ min(trace Θ, max_i Σ_j
 * |Θ_ij|) (Gershgorin), and gradient descent on (1/2n)‖f − y‖² is stable in the kernel regime for η
 * &lt; 2n/λ_max. With Fourier features k_γ(x, x) = 1, so every diagonal entry is the same number
 * {@link #diagonalNtk(ModelSpec)}, a function of σ_w, σ_b, α_l, p_l and L alone; then trace =
 * n·Θ_ii and Θ_ii ≤ λ_max ≤ n·Θ_ii.
 *
 * <p>The kernel's input stage (Fourier features or x·x′/d) is computed once; each trial α reruns
 * only the O(L·n²) layer recursion and one dense eigen-solve, O(n³), so this is meant for training
 * sets of up to a few thousand points.
 */
public final class EigenvalueControl {
  private static final Logger LOG = System.getLogger(EigenvalueControl.class.getName());
  private static final int MAX_BISECTIONS = 200;

  private final ModelSpec spec;
  private final InputKernel input;
  private final KernelState initial;
  private final int n;

  /** What the bisection aims at. */
  public enum Target {
    /** The largest eigenvalue λ_max of Θ. */
    LAMBDA_MAX,
    /** The condition number λ_max/λ_min of Θ. */
    CONDITION
  }

  /**
   * Prepares the control for one training set.
   *
   * @param spec the architecture; its α_l are replaced by α/√L for each trial α
   * @param input the input kernel (as in {@link AnalyticNetwork#forSpec(ModelSpec, InputKernel)})
   * @param x training inputs, n×d row-major
   * @param n number of training inputs, at least 1
   * @param d input dimension
   * @throws NtkException (bad input) for a shape mismatch; (usage) for n = 0
   */
  public EigenvalueControl(ModelSpec spec, InputKernel input, double[] x, int n, int d) {
    if (n < 1) {
      throw NtkException.usage("eigenvalue control needs at least one training input, got 0");
    }
    this.spec = spec;
    this.input = input;
    this.initial = input.initial(x, n, d);
    this.n = n;
  }

  /**
   * The analytic NTK, its extreme eigenvalues and the bounds at one global α.
   *
   * @param alpha α ≥ 0
   * @return the evaluation
   */
  public Evaluation evaluate(double alpha) {
    ModelSpec s = spec.withAlpha(alpha);
    double[] theta = AnalyticNetwork.forSpec(s, input).apply(initial).ntk();
    double[] ev = extremeEigenvalues(theta, n);
    double trace = 0;
    double gershgorin = 0;
    double maxDiag = Double.NEGATIVE_INFINITY;
    double minDiag = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int j = 0; j < n; j++) {
        row += Math.abs(theta[i * n + j]);
      }
      double dii = theta[i * n + i];
      trace += dii;
      gershgorin = Math.max(gershgorin, row);
      maxDiag = Math.max(maxDiag, dii);
      minDiag = Math.min(minDiag, dii);
    }
    double closed = input instanceof FourierFeatures ? diagonalNtk(s) : Double.NaN;
    double lambdaMax = ev[1];
    double lambdaMin = ev[0];
    double condition = lambdaMin > 0 ? lambdaMax / lambdaMin : Double.POSITIVE_INFINITY;
    return new Evaluation(
        alpha,
        lambdaMax,
        lambdaMin,
        condition,
        trace,
        gershgorin,
        maxDiag,
        minDiag,
        closed,
        2.0 * n / lambdaMax);
  }

  /**
   * Finds α with λ_max(Θ) = target.
   *
   * @param target the wanted λ_max &gt; 0
   * @param relTol stop when |λ_max − target| ≤ relTol·target (e.g. 1e-9)
   * @return the α found and what it reaches
   * @throws NtkException (usage) when the target lies below λ_max at α = 0 (the skip-only network),
   *     or above every λ_max reachable with a finite α
   */
  public Result targetLambdaMax(double target, double relTol) {
    checkTarget(target, relTol);
    return solve(Target.LAMBDA_MAX, target, relTol);
  }

  /**
   * Finds α with λ_max(Θ)/λ_min(Θ) = target: scans α over 0 and 2^−10 … 2^10 for the first bracket,
   * then bisects it.
   *
   * @param target the wanted condition number &gt; 1
   * @param relTol stop when |κ − target| ≤ relTol·target
   * @return the α found and what it reaches
   * @throws NtkException (usage) when no α in the scanned range brackets the target; the message
   *     gives the range of condition numbers seen
   */
  public Result targetCondition(double target, double relTol) {
    checkTarget(target, relTol);
    return solve(Target.CONDITION, target, relTol);
  }

  private static void checkTarget(double target, double relTol) {
    if (!(target > 0) || !Double.isFinite(target)) {
      throw NtkException.usage("eigenvalue target must be finite and > 0, got " + target);
    }
    if (!(relTol > 0) || !(relTol < 1)) {
      throw NtkException.usage("relative tolerance must lie in (0, 1), got " + relTol);
    }
  }

  private static double value(Evaluation e, Target t) {
    return t == Target.LAMBDA_MAX ? e.lambdaMax() : e.condition();
  }

  private Result solve(Target t, double target, double relTol) {
    // ---- bracket: lo below the target, hi above (or the reverse for a decreasing κ)
    Evaluation lo = evaluate(0);
    Evaluation hi = null;
    double seenMin = value(lo, t);
    double seenMax = seenMin;
    int evaluations = 1;
    if (hits(value(lo, t), target, relTol)) {
      return new Result(t, target, 0, value(lo, t), evaluations, lo);
    }
    double a = t == Target.LAMBDA_MAX ? 1.0 : Math.scalb(1.0, -10);
    double limit = t == Target.LAMBDA_MAX ? Math.scalb(1.0, 60) : Math.scalb(1.0, 10);
    if (t == Target.LAMBDA_MAX && value(lo, t) > target) {
      throw NtkException.usage(
          "λ_max target "
              + target
              + " is below the skip-only network's λ_max "
              + value(lo, t)
              + " at α = 0; lower σ_w or σ_b, or ask for at least that");
    }
    while (a <= limit) {
      Evaluation e = evaluate(a);
      evaluations++;
      double v = value(e, t);
      seenMin = Math.min(seenMin, v);
      seenMax = Math.max(seenMax, v);
      if (hits(v, target, relTol)) {
        return new Result(t, target, a, v, evaluations, e);
      }
      if ((value(lo, t) < target) != (v < target)) {
        hi = e;
        break;
      }
      lo = e;
      a *= 2;
    }
    if (hi == null) {
      throw NtkException.usage(
          (t == Target.LAMBDA_MAX ? "λ_max" : "condition number")
              + " target "
              + target
              + " is out of reach: α from 0 to "
              + limit
              + " gives values from "
              + seenMin
              + " to "
              + seenMax);
    }

    // ---- bisection, keeping the sign change between lo and hi
    boolean loBelow = value(lo, t) < target;
    Evaluation best = Math.abs(value(lo, t) - target) < Math.abs(value(hi, t) - target) ? lo : hi;
    for (int it = 0; it < MAX_BISECTIONS; it++) {
      double mid = lo.alpha() + (hi.alpha() - lo.alpha()) / 2;
      if (mid <= lo.alpha() || mid >= hi.alpha()) {
        break;
      }
      Evaluation e = evaluate(mid);
      evaluations++;
      double v = value(e, t);
      if (Math.abs(v - target) < Math.abs(value(best, t) - target)) {
        best = e;
      }
      if (hits(v, target, relTol)) {
        break;
      }
      if ((v < target) == loBelow) {
        lo = e;
      } else {
        hi = e;
      }
    }
    LOG.log(
        Level.INFO,
        "eigenvalue control: {0} target {1} reached {2} at alpha {3} after {4} evaluations",
        t,
        target,
        value(best, t),
        best.alpha(),
        evaluations);
    return new Result(t, target, best.alpha(), value(best, t), evaluations, best);
  }

  private static boolean hits(double v, double target, double relTol) {
    return Math.abs(v - target) <= relTol * target;
  }

  /**
   * The NTK diagonal Θ(x, x) of the network's output when the input kernel is 1 on the diagonal
   * (Fourier features: k_γ(x, x) = 1 for every x, so every diagonal entry is this number). The
   * scalar form of the recursion: q_0 = θ_0 = σ_w² + σ_b²; per block S = σ_w²q + σ_b², k_b =
   * σ_w²F(S, S), θ_b = σ_w²[F(S, S) + Ḟ(S, S)(S + σ_w²θ)], then q ← q + α_l²p_l²k_b, θ ← θ +
   * α_l²p_l²θ_b (residual) or q ← α_l²p_l²k_b, θ ← α_l²p_l²θ_b (plain); readout σ_w²(q + θ) + σ_b².
   * For ReLU with σ_b = 0 this solves to {@link #reluDiagonalNtk}.
   *
   * @param spec the architecture
   * @return Θ(x, x)
   */
  public static double diagonalNtk(ModelSpec spec) {
    double w2 = spec.sigmaW() * spec.sigmaW();
    double b2 = spec.sigmaB() * spec.sigmaB();
    double q = w2 + b2;
    double theta = q;
    for (int l = 1; l <= spec.depth(); l++) {
      double s = w2 * q + b2;
      double f;
      double fd;
      switch (spec.activation()) {
        case RELU -> {
          f = Relu.covariance(s, s, s, true);
          fd = Relu.derivativeCovariance(s, s, s, true);
        }
        case ERF -> {
          f = Erf.covariance(s, s, s, true);
          fd = Erf.derivativeCovariance(s, s, s, true);
        }
        default -> throw new IllegalStateException("unknown activation " + spec.activation());
      }
      double a = spec.alpha(l) * spec.alpha(l) * spec.survival(l) * spec.survival(l);
      double kb = w2 * f;
      double tb = w2 * (f + fd * (s + w2 * theta));
      if (spec.residual()) {
        q += a * kb;
        theta += a * tb;
      } else {
        q = a * kb;
        theta = a * tb;
      }
    }
    return w2 * (q + theta) + b2;
  }

  /**
   * The closed form of the diagonal for residual ReLU blocks with σ_b = 0 and k_in(x, x) = 1: with
   * a_l = α_l²p_l² and r_l = 1 + a_lσ_w⁴/2,
   *
   * <pre>
   *   Θ(x, x) = σ_w⁴ · Π_l r_l · (2 + Σ_l a_lσ_w⁴/r_l).
   * </pre>
   *
   * (q_l = r_l·q_{l−1} and θ_l = r_l·θ_{l−1} + a_lσ_w⁴q_{l−1} from q_0 = θ_0 = σ_w².) With α_l =
   * α/√L and p_l = p the product tends to exp(α²p²σ_w⁴/2) as L grows: the diagonal stays bounded in
   * depth, which is what the 1/√L scaling is for.
   *
   * @param sigmaW σ_w
   * @param alphas α_l, one per block
   * @param survival p_l, one per block
   * @return Θ(x, x)
   * @throws NtkException (usage) when the two arrays differ in length
   */
  public static double reluDiagonalNtk(double sigmaW, double[] alphas, double[] survival) {
    if (alphas.length != survival.length) {
      throw NtkException.usage(
          "need one α_l per p_l: got " + alphas.length + " and " + survival.length);
    }
    double w4 = sigmaW * sigmaW * sigmaW * sigmaW;
    double product = 1;
    double sum = 0;
    for (int l = 0; l < alphas.length; l++) {
      double a = alphas[l] * alphas[l] * survival[l] * survival[l];
      double r = 1 + a * w4 / 2;
      product *= r;
      sum += a * w4 / r;
    }
    return w4 * product * (2 + sum);
  }

  /**
   * {λ_min, λ_max} of the symmetric n×n analytic NTK. The one place this class needs eigenvalues,
   * so a faster solver (Lanczos for large n) can replace it here alone.
   */
  private static double[] extremeEigenvalues(double[] theta, int n) {
    return ExtremeEigenvalues.extremes(theta, n);
  }

  /**
   * The analytic NTK's spectrum and bounds at one α.
   *
   * @param alpha the global α (α_l = α/√L)
   * @param lambdaMax λ_max(Θ)
   * @param lambdaMin λ_min(Θ) (may be ≤ 0 by rounding for a singular Θ)
   * @param condition λ_max/λ_min (+∞ when λ_min ≤ 0)
   * @param trace trace Θ, an upper bound on λ_max
   * @param gershgorin max_i Σ_j |Θ_ij|, an upper bound on λ_max
   * @param maxDiagonal max_i Θ_ii, a lower bound on λ_max
   * @param minDiagonal min_i Θ_ii
   * @param closedFormDiagonal {@link #diagonalNtk} with Fourier features (equal to every Θ_ii), NaN
   *     without
   * @param maxStableStep 2n/λ_max, the largest stable gradient-descent step on (1/2n)‖f − y‖²
   */
  public record Evaluation(
      double alpha,
      double lambdaMax,
      double lambdaMin,
      double condition,
      double trace,
      double gershgorin,
      double maxDiagonal,
      double minDiagonal,
      double closedFormDiagonal,
      double maxStableStep) {}

  /**
   * The outcome of a bisection.
   *
   * @param target what was aimed at
   * @param requested the requested value
   * @param alpha the α found (α_l = α/√L)
   * @param reached the value reached at that α
   * @param evaluations analytic kernels computed
   * @param evaluation the spectrum and bounds at the α found
   */
  public record Result(
      Target target,
      double requested,
      double alpha,
      double reached,
      int evaluations,
      Evaluation evaluation) {}
}
