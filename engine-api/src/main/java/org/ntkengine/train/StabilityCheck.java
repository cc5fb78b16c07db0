package org.ntkengine.train;

import java.util.ArrayList;
import java.util.List;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.Gradient;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.Parameters;

/**
 * The stability limit of gradient descent against a run: from the same initial parameters, train
 * full batch for a few dozen steps at η = c·2n/λ_max for each factor c and see whether the loss
 * falls or grows. Theory (kernel regime): c &lt; 1 converges, c &gt; 1 diverges along the top
 * eigenvector, whose residual is multiplied by |1 − 2c| per step. At finite width a step a little
 * above the limit can also be caught by the kernel shrinking (the catapult phase of Lewkowycz et
 * al., 2020); the outcome records the loss path so that this shows.
 */
public final class StabilityCheck {
  /** A run "diverges" when its loss ever exceeds this multiple of the initial loss. */
  public static final double DIVERGENCE_FACTOR = 10.0;

  private StabilityCheck() {}

  /**
   * One run.
   *
   * @param factor c, η as a fraction of 2n/λ_max
   * @param learningRate η
   * @param predictedStable c &lt; 1
   * @param initialLoss the loss before the first step
   * @param finalLoss the loss after the last step taken (infinite or NaN when it overflowed)
   * @param maxLoss the largest loss seen
   * @param steps steps taken
   * @param diverged whether the loss exceeded {@link #DIVERGENCE_FACTOR}·initialLoss or became
   *     non-finite
   * @param losses the loss before each step and after the last, steps + 1 values (fewer when it
   *     overflowed)
   * @param topMode ‖v₁ᵀ(f_s − Y)‖/‖v₁ᵀ(f_0 − Y)‖ at every step s, the residual along the top
   *     eigenvector, which the linear theory multiplies by |1 − 2c| per step (empty without v₁)
   */
  public record Outcome(
      double factor,
      double learningRate,
      boolean predictedStable,
      double initialLoss,
      double finalLoss,
      double maxLoss,
      int steps,
      boolean diverged,
      double[] losses,
      double[] topMode) {

    /**
     * What the run did: {@code diverges} (see {@link #diverged}); {@code grows then recovers} when
     * the loss or the residual along the top eigenvector rose above its initial value but the loss
     * ended below its start (the kernel changed enough to stabilise the step: the catapult phase);
     * {@code grows} when it did not recover; {@code converges} when neither ever rose.
     *
     * @return the verdict
     */
    public String verdict() {
      if (diverged) {
        return "diverges";
      }
      boolean modeGrew = false;
      for (int s = 1; s < topMode.length; s++) {
        modeGrew |= topMode[s] > 1;
      }
      if (maxLoss > initialLoss || modeGrew) {
        return finalLoss < initialLoss ? "grows then recovers" : "grows";
      }
      return "converges";
    }
  }

  /**
   * Runs full-batch gradient descent (evaluation-mode masks, so the run is deterministic) once per
   * factor from the same parameters.
   *
   * @param backend the backend
   * @param precision the element format
   * @param initial the parameters to start every run from
   * @param x inputs, n×d row-major
   * @param y targets, n×k row-major
   * @param n samples
   * @param lambdaMax λ_max of the empirical NTK on these n samples at {@code initial}
   * @param topVector v₁, the unit eigenvector of λ_max: of the full per-output kernel (length n·k,
   *     index i·k + c, the layout of f) or of the output-averaged one (length n); or null
   * @param factors the fractions c of 2n/λ_max to try
   * @param steps steps per run
   * @return one outcome per factor
   */
  public static List<Outcome> run(
      Backend backend,
      Precision precision,
      Parameters initial,
      double[] x,
      double[] y,
      int n,
      double lambdaMax,
      double[] topVector,
      double[] factors,
      int steps) {
    ModelSpec spec = initial.spec();
    List<Outcome> out = new ArrayList<>();
    double limit = Trainer.maxStableStep(lambdaMax, n);
    for (double c : factors) {
      double eta = c * limit;
      double init = Double.NaN;
      double last = Double.NaN;
      double max = Double.NEGATIVE_INFINITY;
      boolean diverged = false;
      int taken = 0;
      int k = spec.outputs();
      double[] losses = new double[steps + 1];
      double[] mode = new double[topVector == null ? 0 : steps + 1];
      double mode0 = Double.NaN;
      // Evaluation-mode masks (ξ_l = p_l): the limit concerns the deterministic gradient map of
      // the network whose kernel gave λ_max.
      try (Network net = new Network(backend, precision, initial);
          Matrix xm = Network.upload(backend, precision, x, n, spec.inputDim());
          Matrix ym = Network.upload(backend, precision, y, n, spec.outputs())) {
        for (int s = 0; s <= steps; s++) {
          if (topVector != null) {
            double[] f = new double[n * k];
            try (Matrix fm = net.forward(xm)) {
              backend.download(fm, f);
            }
            double p = projection(topVector, f, y, n, k);
            mode0 = s == 0 ? p : mode0;
            mode[s] = mode0 == 0 ? Double.NaN : p / mode0;
          }
          double loss;
          if (s == steps) {
            loss = net.loss(xm, ym);
          } else {
            try (Gradient g = net.lossGradient(xm, ym)) {
              loss = g.loss();
              if (Double.isFinite(loss)) {
                net.step(g, eta);
              }
            }
          }
          if (s == 0) {
            init = loss;
          }
          last = loss;
          losses[s] = loss;
          taken = s;
          if (!Double.isFinite(loss)) {
            diverged = true;
            max = Double.POSITIVE_INFINITY;
            break;
          }
          max = Math.max(max, loss);
        }
      }
      diverged |= max > DIVERGENCE_FACTOR * init;
      out.add(
          new Outcome(
              c,
              eta,
              c < 1,
              init,
              last,
              max,
              taken,
              diverged,
              java.util.Arrays.copyOf(losses, taken + 1),
              java.util.Arrays.copyOf(mode, Math.min(mode.length, taken + 1))));
    }
    return out;
  }

  /**
   * The residual F − Y along v: the inner product when v spans outputs too (length n·k), else the
   * norm of the k per-output projections.
   */
  static double projection(double[] v, double[] f, double[] y, int n, int k) {
    if (v.length == f.length) {
      double p = 0;
      for (int i = 0; i < f.length; i++) {
        p += v[i] * (f[i] - y[i]);
      }
      return Math.abs(p);
    }
    double s = 0;
    for (int c = 0; c < k; c++) {
      double p = 0;
      for (int i = 0; i < n; i++) {
        p += v[i] * (f[i * k + c] - y[i * k + c]);
      }
      s += p * p;
    }
    return Math.sqrt(s);
  }
}
