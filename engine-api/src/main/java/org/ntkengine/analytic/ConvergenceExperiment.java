package org.ntkengine.analytic;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.ntkengine.NtkException;
import org.ntkengine.model.ModelSpec;

/**
 * The referee of the infinite-width derivation: at fixed inputs, the relative Frobenius error ‖K_n
 * − K_∞‖_F/‖K_∞‖_F of the empirical kernel of a width-n network against the analytic one, per width
 * (mean and spread over seeds), for the NTK and the NNGP, and the least-squares slope of log(mean
 * error) against log(width), which theory puts at −1/2.
 *
 * <p>The empirical kernels come from a caller-supplied {@link EmpiricalSource} (width, seed) →
 * kernels, so this class does not depend on any model implementation. The empirical NNGP of one
 * network is the readout's covariance given its last hidden state, σ_w²·⟨h_L(x), h_L(x′)⟩/n + σ_b²
 * (the readout weights integrated out, which is what converges at rate n^{−1/2}; the product
 * f(x)f(x′) of one network does not converge). The reference is the analytic kernel for the same
 * frequency matrix B as the sampled network when the source reports it, else the Gaussian limit.
 */
public final class ConvergenceExperiment {
  private static final Logger LOG = System.getLogger(ConvergenceExperiment.class.getName());

  private final ModelSpec spec;
  private final double[] x;
  private final int n;
  private final int d;

  /**
   * Kernels of one sampled network in evaluation mode.
   *
   * @param nngp the empirical NNGP (see the class comment), n×n row-major
   * @param ntk the empirical NTK (output-averaged with several outputs), n×n row-major
   * @param fourierFrequencies the network's B, m×d row-major, or null to compare against the
   *     Gaussian limit (ignored without Fourier features)
   */
  public record Measurement(double[] nngp, double[] ntk, double[] fourierFrequencies) {}

  /** Builds and measures one network. */
  @FunctionalInterface
  public interface EmpiricalSource {
    /**
     * Samples the network of the experiment's spec at a width and a seed and returns its kernels on
     * the experiment's inputs.
     *
     * @param width n
     * @param seed the parameter seed
     * @return its kernels
     */
    Measurement measure(int width, int seed);
  }

  /**
   * The experiment's outcome. Arrays are indexed like {@code widths}.
   *
   * @param widths the widths measured
   * @param seeds seeds per width
   * @param ntkRelError mean over seeds of the NTK's relative Frobenius error
   * @param ntkSpread standard deviation over seeds of that error (0 for one seed)
   * @param nngpRelError mean over seeds of the NNGP's relative Frobenius error
   * @param nngpSpread its standard deviation over seeds
   * @param slopeNtk least-squares slope of log(ntkRelError) against log(width)
   * @param slopeNngp the same for the NNGP
   */
  public record Result(
      int[] widths,
      int seeds,
      double[] ntkRelError,
      double[] ntkSpread,
      double[] nngpRelError,
      double[] nngpSpread,
      double slopeNtk,
      double slopeNngp) {}

  /**
   * Prepares the experiment.
   *
   * @param spec the architecture (its width is replaced by each width measured)
   * @param x the inputs, n×d row-major
   * @param n number of inputs, at least 1
   * @param d input dimension
   * @throws NtkException (bad input) when x is not n×d or d differs from the spec's
   */
  public ConvergenceExperiment(ModelSpec spec, double[] x, int n, int d) {
    if (d != spec.inputDim()) {
      throw NtkException.badInput(
          "inputs have " + d + " columns but the model expects d = " + spec.inputDim());
    }
    if (n < 1) {
      throw NtkException.usage("the convergence experiment needs at least one input");
    }
    Inputs.check("", x, n, d);
    this.spec = spec;
    this.x = x.clone();
    this.n = n;
    this.d = d;
  }

  /**
   * Runs the experiment.
   *
   * @param widths at least two distinct widths, each ≥ 1
   * @param seeds seeds per width (0 … seeds−1), at least 1
   * @param source the empirical kernels
   * @param progress called with the number of networks measured so far (may be null)
   * @return the errors and slopes
   * @throws NtkException (usage) for fewer than two widths or no seeds; (bad input) when the source
   *     returns kernels of the wrong shape
   */
  public Result run(int[] widths, int seeds, EmpiricalSource source, IntConsumer progress) {
    if (widths.length < 2 || Arrays.stream(widths).distinct().count() < 2) {
      throw NtkException.usage("the slope fit needs at least two distinct widths (--widths)");
    }
    if (seeds < 1) {
      throw NtkException.usage("--seeds must be at least 1, got " + seeds);
    }
    for (int w : widths) {
      if (w < 1) {
        throw NtkException.usage("widths must be at least 1, got " + w);
      }
    }
    AnalyticKernel limit =
        spec.hasFourierFeatures()
            ? null
            : AnalyticNetwork.forSpec(spec, (double[]) null).kernel(x, n, d);
    double[] ntkMean = new double[widths.length];
    double[] ntkSpread = new double[widths.length];
    double[] nngpMean = new double[widths.length];
    double[] nngpSpread = new double[widths.length];
    int done = 0;
    for (int w = 0; w < widths.length; w++) {
      double[] ntkErr = new double[seeds];
      double[] nngpErr = new double[seeds];
      for (int s = 0; s < seeds; s++) {
        Measurement m = source.measure(widths[w], s);
        AnalyticKernel ref = limit;
        if (ref == null) {
          ref =
              (m.fourierFrequencies() == null
                      ? AnalyticNetwork.gaussianLimit(spec)
                      : AnalyticNetwork.forSpec(spec, m.fourierFrequencies()))
                  .kernel(x, n, d);
        }
        ntkErr[s] = relativeError(m.ntk(), ref.ntk(), "NTK");
        nngpErr[s] = relativeError(m.nngp(), ref.nngp(), "NNGP");
        done++;
        if (progress != null) {
          progress.accept(done);
        }
      }
      ntkMean[w] = mean(ntkErr);
      ntkSpread[w] = std(ntkErr);
      nngpMean[w] = mean(nngpErr);
      nngpSpread[w] = std(nngpErr);
      LOG.log(
          Level.DEBUG,
          "width {0}: NTK error {1}, NNGP error {2}",
          widths[w],
          ntkMean[w],
          nngpMean[w]);
    }
    return new Result(
        widths.clone(),
        seeds,
        ntkMean,
        ntkSpread,
        nngpMean,
        nngpSpread,
        fitSlope(widths, ntkMean),
        fitSlope(widths, nngpMean));
  }

  private double relativeError(double[] empirical, double[] analytic, String what) {
    if (empirical == null || empirical.length != analytic.length) {
      throw NtkException.badInput(
          "empirical "
              + what
              + " has "
              + (empirical == null ? "no" : empirical.length)
              + " entries, expected "
              + n
              + "x"
              + n);
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < analytic.length; i++) {
      double diff = empirical[i] - analytic[i];
      num += diff * diff;
      den += analytic[i] * analytic[i];
    }
    return Math.sqrt(num) / Math.sqrt(den);
  }

  /**
   * Least-squares slope of log(error) against log(width).
   *
   * @param widths the widths
   * @param errors positive errors, one per width
   * @return the slope (NaN when an error is not positive)
   */
  public static double fitSlope(int[] widths, double[] errors) {
    int k = widths.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < k; i++) {
      mx += Math.log(widths[i]);
      my += Math.log(errors[i]);
    }
    mx /= k;
    my /= k;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < k; i++) {
      double dx = Math.log(widths[i]) - mx;
      sxy += dx * (Math.log(errors[i]) - my);
      sxx += dx * dx;
    }
    return sxy / sxx;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double a : v) {
      s += a;
    }
    return s / v.length;
  }

  private static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double a : v) {
      s += (a - m) * (a - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
