package org.ntkengine.train;

import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.Gradient;
import org.ntkengine.model.Network;
import org.ntkengine.model.SeededRandom;
import org.ntkengine.model.StochasticDepth;

/**
 * Trains a {@link Network} on the squared loss (1/2b)·‖f(X_B) − Y_B‖² with gradient descent: full
 * batch (b = n) or mini-batch SGD with batches drawn without replacement per epoch from a seed.
 * Every step draws a fresh stochastic-depth mask ξ_l ~ Bernoulli(p_l) (the mask sequence is seeded,
 * so a run is reproducible); networks with every p_l = 1 train deterministically.
 *
 * <p>The step η is absolute; {@link #maxStableStep} gives the gradient-descent stability limit
 * 2n/λ_max(Θ) that η is usually set as a fraction of.
 */
public final class Trainer {

  /**
   * How to train.
   *
   * @param steps gradient steps, ≥ 0
   * @param checkpointEvery steps between two checkpoints, ≥ 1 (step 0 and the last step are always
   *     checkpoints)
   * @param learningRate η &gt; 0
   * @param batchSize b: 0 or n for full-batch gradient descent, else mini-batch SGD
   * @param seed seeds the batches and the stochastic-depth masks
   */
  public record Options(
      int steps, int checkpointEvery, double learningRate, int batchSize, long seed) {
    /** Checks the ranges. */
    public Options {
      if (steps < 0 || checkpointEvery < 1 || batchSize < 0) {
        throw NtkException.usage(
            "training needs steps ≥ 0, a checkpoint interval ≥ 1 and a batch size ≥ 0 (0: full"
                + " batch), got "
                + steps
                + ", "
                + checkpointEvery
                + " and "
                + batchSize);
      }
      if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw NtkException.usage("the learning rate must be finite and > 0, got " + learningRate);
      }
    }
  }

  /** Called at every checkpoint with the network as it is after {@code step} steps. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Observes a checkpoint; the network must not be stepped or closed here.
     *
     * @param step the step just attempted (0 before training); steps taken so far, except when the
     *     loss turned non-finite at this step: its update is skipped, so the network holds step − 1
     *     updates, and this is the last call
     * @param network the network
     * @param batchLoss the loss on this step's batch with its mask, before its update (NaN at step
     *     0; non-finite when training diverged)
     * @return false to stop training here
     */
    boolean checkpoint(int step, Network network, double batchLoss);
  }

  private final Network network;
  private final double[] x;
  private final double[] y;
  private final int n;
  private final int d;
  private final int k;
  private final Options options;

  /**
   * Prepares training on a fixed set.
   *
   * @param network the network, updated in place
   * @param x inputs, n×d row-major
   * @param y targets, n×k row-major
   * @param n samples, at least 1
   * @param options steps, η, batches
   * @throws NtkException (bad input) when the shapes disagree with the network
   */
  public Trainer(Network network, double[] x, double[] y, int n, Options options) {
    this.network = network;
    this.n = n;
    this.d = network.spec().inputDim();
    this.k = network.spec().outputs();
    if (n < 1 || x.length != (long) n * d || y.length != (long) n * k) {
      throw NtkException.badInput(
          "training set: expected "
              + n
              + "x"
              + d
              + " inputs and "
              + n
              + "x"
              + k
              + " targets for this network, got "
              + x.length
              + " and "
              + y.length
              + " values");
    }
    this.x = x;
    this.y = y;
    this.options = options;
  }

  /**
   * The largest stable gradient-descent step on (1/2n)‖f − Y‖² in the kernel regime: the residual
   * along eigenvector i is multiplied by 1 − ηλ_i/n per step, which stays inside (−1, 1) for every
   * i exactly when η &lt; 2n/λ_max.
   *
   * @param lambdaMax λ_max(Θ) &gt; 0
   * @param n samples
   * @return 2n/λ_max
   */
  public static double maxStableStep(double lambdaMax, int n) {
    return 2.0 * n / lambdaMax;
  }

  /**
   * Runs the steps, calling the listener at step 0, every {@code checkpointEvery} steps and after
   * the last step. Stops early when the listener returns false or the loss becomes non-finite
   * (divergence), after reporting that step as a checkpoint.
   *
   * @param listener the checkpoint observer
   * @return the steps taken
   */
  public int run(Listener listener) {
    Backend be = network.backend();
    Precision p = network.precision();
    int b = options.batchSize() == 0 || options.batchSize() >= n ? n : options.batchSize();
    SeededRandom batches = SeededRandom.stream(options.seed(), "batches");
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int cursor = n;
    if (!listener.checkpoint(0, network, Double.NaN)) {
      return 0;
    }
    try (Matrix xAll = Network.upload(be, p, x, n, d);
        Matrix yAll = Network.upload(be, p, y, n, k);
        Matrix xBatch = b == n ? null : be.allocate(b, d, p);
        Matrix yBatch = b == n ? null : be.allocate(b, k, p)) {
      double[] xb = b == n ? null : new double[b * d];
      double[] yb = b == n ? null : new double[b * k];
      for (int step = 1; step <= options.steps(); step++) {
        Matrix xs = xAll;
        Matrix ys = yAll;
        if (b < n) {
          for (int i = 0; i < b; i++) {
            if (cursor == n) {
              batches.shuffle(order);
              cursor = 0;
            }
            int row = order[cursor++];
            System.arraycopy(x, row * d, xb, i * d, d);
            System.arraycopy(y, row * k, yb, i * k, k);
          }
          be.upload(xb, xBatch);
          be.upload(yb, yBatch);
          xs = xBatch;
          ys = yBatch;
        }
        double[] mask = StochasticDepth.sample(network.spec(), options.seed(), step);
        double loss;
        try (Gradient g = network.lossGradient(xs, ys, mask)) {
          loss = g.loss();
          if (Double.isFinite(loss)) {
            network.step(g, options.learningRate());
          }
        }
        boolean last = step == options.steps() || !Double.isFinite(loss);
        if (last || step % options.checkpointEvery() == 0) {
          if (!listener.checkpoint(step, network, loss) || !Double.isFinite(loss)) {
            return step;
          }
        }
      }
    }
    return options.steps();
  }
}
