package org.ntkengine.analytic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;

/**
 * The recursion against Monte Carlo: wide random networks written independently in plain double
 * arithmetic ({@link FiniteNetwork}), several seeds, each compared with the analytic kernel of its
 * own frequency matrix B. The mean difference over seeds must lie within four standard errors plus
 * a finite-width allowance of 1.5% of the kernel's scale (the O(1/n) bias at n = 1024). A negative
 * control checks that the same tolerance rejects ε_l = p_l (instead of p_l²), so the test can tell
 * the stochastic-depth factor apart.
 */
class MonteCarloRecursionTest {
  private static final int WIDTH = 1024;
  private static final int SEEDS = 8;
  private static final int N = 4;

  private static double[] inputs(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[N * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble();
    }
    return x;
  }

  private static ModelSpec.Builder base(Activation act) {
    return ModelSpec.builder(2)
        .fourierFeatures(8)
        .fourierSigma(0.7)
        .width(WIDTH)
        .depth(3)
        .activation(act)
        .sigmaW(1.2)
        .sigmaB(0.3)
        .alpha(1.0)
        .survival(0.8);
  }

  /** Returns the largest violation ratio |mean diff| / tolerance over all entries (≤ 1 passes). */
  private static double check(ModelSpec spec, ModelSpec analyticSpec, double[] x, String label) {
    double[][] diffNtk = new double[SEEDS][];
    double[][] diffNngp = new double[SEEDS][];
    double scale = 0;
    for (int s = 0; s < SEEDS; s++) {
      FiniteNetwork net = new FiniteNetwork(spec, 1000 + s);
      double[][] emp = net.kernels(x, N);
      AnalyticKernel ref = AnalyticNetwork.forSpec(analyticSpec, net.b).kernel(x, N, 2);
      diffNngp[s] = new double[N * N];
      diffNtk[s] = new double[N * N];
      for (int i = 0; i < N * N; i++) {
        diffNngp[s][i] = emp[0][i] - ref.nngp()[i];
        diffNtk[s][i] = emp[1][i] - ref.ntk()[i];
        scale = Math.max(scale, Math.abs(ref.ntk()[i]));
      }
    }
    double worst = 0;
    for (double[][] diff : new double[][][] {diffNngp, diffNtk}) {
      for (int i = 0; i < N * N; i++) {
        double mean = 0;
        for (int s = 0; s < SEEDS; s++) {
          mean += diff[s][i];
        }
        mean /= SEEDS;
        double var = 0;
        for (int s = 0; s < SEEDS; s++) {
          var += (diff[s][i] - mean) * (diff[s][i] - mean);
        }
        double se = Math.sqrt(var / (SEEDS - 1) / SEEDS);
        double tol = 4 * se + 0.015 * scale;
        worst = Math.max(worst, Math.abs(mean) / tol);
      }
    }
    return worst;
  }

  private static void agrees(ModelSpec spec, double[] x, String label) {
    double worst = check(spec, spec, x, label);
    assertTrue(worst <= 1, label + ": mean deviation is " + worst + " tolerances");
  }

  @Test
  void residualReluWithStochasticDepth() {
    ModelSpec spec = base(Activation.RELU).build();
    double[] x = inputs(2, 7);
    agrees(spec, x, "residual ReLU");
    // ε = p instead of p²: the analytic kernel of survival √p, which the tolerance must reject.
    ModelSpec wrong = spec.toBuilder().survival(Math.sqrt(0.8)).build();
    double worst = check(spec, wrong, x, "ε = p");
    assertTrue(worst > 1, "the test cannot tell ε = p from p²: " + worst);
  }

  @Test
  void residualErfWithStochasticDepth() {
    agrees(base(Activation.ERF).build(), inputs(2, 8), "residual erf");
  }

  @Test
  void plainReluMlpWithoutFourierFeatures() {
    ModelSpec spec = base(Activation.RELU).fourierFeatures(0).residual(false).alpha(1.3).build();
    agrees(spec, inputs(2, 9), "plain ReLU");
  }

  @Test
  void plainErfMlpWithFourierFeatures() {
    agrees(base(Activation.ERF).residual(false).alpha(1.5).build(), inputs(2, 10), "plain erf");
  }
}
