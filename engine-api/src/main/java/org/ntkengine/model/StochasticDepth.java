package org.ntkengine.model;

/**
 * Block masks ξ_1..ξ_L for stochastic depth: ξ_l = p_l in evaluation mode (the usual inference
 * rule), ξ_l ~ Bernoulli(p_l) in training mode. One mask applies to a whole batch: it is one
 * realisation of the network, which is what an empirical kernel Θ(x, x′) needs on both of its
 * arguments.
 */
public final class StochasticDepth {
  private StochasticDepth() {}

  /**
   * Returns the evaluation mask ξ_l = p_l.
   *
   * @param spec the architecture
   * @return L values
   */
  public static double[] evaluation(ModelSpec spec) {
    return spec.survival();
  }

  /**
   * Draws a training mask ξ_l ~ Bernoulli(p_l), each ξ_l either 0 or 1.
   *
   * @param spec the architecture
   * @param random the generator (advanced by L draws)
   * @return L values in {0, 1}
   */
  public static double[] sample(ModelSpec spec, SeededRandom random) {
    double[] xi = new double[spec.depth()];
    for (int l = 1; l <= spec.depth(); l++) {
      xi[l - 1] = random.nextDouble() < spec.survival(l) ? 1.0 : 0.0;
    }
    return xi;
  }

  /**
   * Draws the training mask number {@code index} of a seeded sequence: the same (seed, index)
   * always gives the same mask.
   *
   * @param spec the architecture
   * @param seed the seed
   * @param index which mask of the sequence, from 0
   * @return L values in {0, 1}
   */
  public static double[] sample(ModelSpec spec, long seed, long index) {
    return sample(spec, SeededRandom.stream(seed, "mask" + index));
  }

  static double[] check(ModelSpec spec, double[] xi) {
    if (xi == null || xi.length != spec.depth()) {
      throw new IllegalArgumentException(
          "a stochastic-depth mask needs "
              + spec.depth()
              + " values (one per block), got "
              + (xi == null ? "null" : xi.length));
    }
    return xi.clone();
  }
}
