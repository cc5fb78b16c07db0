package org.ntkengine.model;

/**
 * A small, fully specified pseudo-random generator (SplitMix64, Steele, Lea and Flood, OOPSLA 2014)
 * with Box–Muller normals computed through {@link StrictMath}, so the same seed gives the same bits
 * on every JVM, platform and backend. Used for parameters, stochastic-depth masks, subsets and
 * synthetic data. Not thread-safe; not for cryptography.
 */
public final class SeededRandom {
  private static final double TWO_PI = 2 * Math.PI;

  private long state;
  private double spare;
  private boolean hasSpare;

  /**
   * Creates a generator.
   *
   * @param seed any 64-bit seed
   */
  public SeededRandom(long seed) {
    this.state = seed;
  }

  /**
   * Returns a generator for a named stream under a seed: the same (seed, name) always gives the
   * same sequence, and different names give independent-looking sequences, so adding a tensor or
   * changing one's size never changes the values drawn for another.
   *
   * @param seed the user's seed
   * @param name the stream's name, e.g. a tensor name
   * @return the generator
   */
  public static SeededRandom stream(long seed, String name) {
    // FNV-1a over the UTF-16 code units: a fixed, documented hash (String.hashCode would also do
    // but mixes poorly in the high bits).
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h ^= name.charAt(i);
      h *= 0x100000001b3L;
    }
    return new SeededRandom(mix(seed ^ mix(h)));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Returns the next 64 random bits.
   *
   * @return a uniformly distributed long
   */
  public long nextLong() {
    state += 0x9e3779b97f4a7c15L;
    return mix(state);
  }

  /**
   * Returns a uniform double in [0, 1) with 53 random bits.
   *
   * @return the value
   */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * Returns a uniform integer in [0, bound), without modulo bias.
   *
   * @param bound the exclusive upper bound, at least 1
   * @return the value
   * @throws IllegalArgumentException when the bound is not positive
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
    long r;
    do {
      r = nextLong() >>> 1;
    } while (r >= limit);
    return (int) (r % bound);
  }

  /**
   * Returns a standard normal deviate (Box–Muller; the second value of each pair is kept for the
   * next call).
   *
   * @return a draw from N(0, 1)
   */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    double r = StrictMath.sqrt(-2 * StrictMath.log(1 - nextDouble()));
    double t = TWO_PI * nextDouble();
    spare = r * StrictMath.sin(t);
    hasSpare = true;
    return r * StrictMath.cos(t);
  }

  /**
   * Fills an array with standard normal deviates.
   *
   * @param out the array
   * @return {@code out}
   */
  public double[] gaussians(double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = nextGaussian();
    }
    return out;
  }

  /**
   * Shuffles an array in place (Fisher–Yates).
   *
   * @param a the array
   */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
