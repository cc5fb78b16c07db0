package org.ntkengine.train;

import java.util.Arrays;
import org.ntkengine.NtkException;

/**
 * The Fourier-feature bandwidth σ_f scaled to the data by the median heuristic. The m → ∞ feature
 * kernel is k_γ(x, x′) = exp(−2π²σ_f²‖x − x′‖²) (Tancik et al., NeurIPS 2020); with σ_f = 1/(2π·M),
 * M the median distance between training inputs, it becomes exp(−‖x − x′‖²/(2M²)): a Gaussian
 * kernel whose length scale is the typical distance between points (the median heuristic of
 * Schölkopf and Smola). A σ_f much larger than that makes k_γ almost the identity on the training
 * set (every point its own feature, a lookup table that cannot generalise); a much smaller one
 * makes it almost constant.
 */
public final class Bandwidth {
  /** Points used for the median: all pairs of at most this many evenly spaced rows. */
  public static final int MAX_POINTS = 400;

  private Bandwidth() {}

  /**
   * The chosen bandwidth and where it came from.
   *
   * @param sigma σ_f
   * @param medianDistance M, the median Euclidean distance between distinct sampled inputs
   * @param pairs the pairs the median was taken over
   * @param rule how σ_f follows from M
   */
  public record Choice(double sigma, double medianDistance, long pairs, String rule) {}

  /**
   * The median Euclidean distance between distinct inputs, over all pairs of at most {@link
   * #MAX_POINTS} rows taken at an even stride (deterministic).
   *
   * @param x inputs, n×d row-major
   * @param n rows, at least 2
   * @param d columns, at least 1
   * @return the median distance
   * @throws NtkException (bad input) when there are fewer than two rows or the shape is wrong
   */
  public static double medianDistance(double[] x, int n, int d) {
    if (n < 2 || d < 1 || (long) n * d != x.length) {
      throw NtkException.badInput(
          "the median distance needs at least 2 inputs of dimension ≥ 1 (an n×d array), got n="
              + n
              + ", d="
              + d
              + " and "
              + x.length
              + " values");
    }
    int count = Math.min(n, MAX_POINTS);
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = (int) ((long) i * n / count);
    }
    double[] dist = new double[count * (count - 1) / 2];
    int p = 0;
    for (int i = 0; i < count; i++) {
      int a = rows[i] * d;
      for (int j = i + 1; j < count; j++) {
        int b = rows[j] * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
          double t = x[a + c] - x[b + c];
          s += t * t;
        }
        dist[p++] = Math.sqrt(s);
      }
    }
    Arrays.sort(dist);
    int m = dist.length;
    return m % 2 == 1 ? dist[m / 2] : 0.5 * (dist[m / 2 - 1] + dist[m / 2]);
  }

  /**
   * σ_f = 1/(2π·M) from the median distance M of the training inputs.
   *
   * @param x inputs, n×d row-major
   * @param n rows, at least 2
   * @param d columns
   * @return the choice
   * @throws NtkException (bad input) when the inputs are all equal (M = 0) or too few
   */
  public static Choice medianHeuristic(double[] x, int n, int d) {
    double median = medianDistance(x, n, d);
    if (!(median > 0) || !Double.isFinite(median)) {
      throw NtkException.badInput(
          "the training inputs have median pairwise distance "
              + median
              + ": σ_f cannot be scaled to them; give --fourier-sigma explicitly");
    }
    int count = Math.min(n, MAX_POINTS);
    return new Choice(
        1.0 / (2 * Math.PI * median),
        median,
        (long) count * (count - 1) / 2,
        "σ_f = 1/(2π·median distance), so the Fourier kernel exp(−2π²σ_f²‖x−x′‖²) is a Gaussian"
            + " of length scale equal to the median distance between training inputs");
  }
}
