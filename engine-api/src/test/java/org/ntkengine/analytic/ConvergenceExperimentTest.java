package org.ntkengine.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ntkengine.NtkException;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;

/**
 * The convergence experiment on {@link FiniteNetwork}, the independent plain-double network: the
 * empirical kernels approach the analytic ones at rate n^{−1/2}.
 */
class ConvergenceExperimentTest {
  private static final int[] WIDTHS = {64, 128, 256, 512, 1024, 2048};
  private static final int N = 8;

  private static ConvergenceExperiment.Result run(Activation act) {
    ModelSpec spec =
        ModelSpec.builder(2)
            .fourierFeatures(16)
            .fourierSigma(1.0)
            .depth(3)
            .activation(act)
            .alpha(1.0)
            .survival(0.8)
            .build();
    SplittableRandom r = new SplittableRandom(11);
    double[] x = new double[N * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble();
    }
    AtomicInteger calls = new AtomicInteger();
    ConvergenceExperiment.Result result =
        new ConvergenceExperiment(spec, x, N, 2)
            .run(
                WIDTHS,
                3,
                (width, seed) -> {
                  FiniteNetwork net =
                      new FiniteNetwork(spec.toBuilder().width(width).build(), 31L * width + seed);
                  double[][] k = net.kernels(x, N);
                  return new ConvergenceExperiment.Measurement(k[0], k[1], net.b);
                },
                calls::set);
    assertEquals(WIDTHS.length * 3, calls.get(), "progress counts every network");
    return result;
  }

  @Test
  void reluConvergesAtRateMinusOneHalf() {
    ConvergenceExperiment.Result r = run(Activation.RELU);
    assertTrue(
        r.slopeNtk() >= -0.65 && r.slopeNtk() <= -0.35,
        "ReLU NTK slope " + r.slopeNtk() + ", errors " + Arrays.toString(r.ntkRelError()));
    assertTrue(
        r.slopeNngp() >= -0.65 && r.slopeNngp() <= -0.35,
        "ReLU NNGP slope " + r.slopeNngp() + ", errors " + Arrays.toString(r.nngpRelError()));
  }

  @Test
  void erfConvergesAtRateMinusOneHalf() {
    ConvergenceExperiment.Result r = run(Activation.ERF);
    assertTrue(
        r.slopeNtk() >= -0.65 && r.slopeNtk() <= -0.35,
        "erf NTK slope " + r.slopeNtk() + ", errors " + Arrays.toString(r.ntkRelError()));
    assertTrue(
        r.slopeNngp() >= -0.65 && r.slopeNngp() <= -0.35,
        "erf NNGP slope " + r.slopeNngp() + ", errors " + Arrays.toString(r.nngpRelError()));
  }

  @Test
  void slopeFitRecoversAPowerLaw() {
    int[] w = {10, 100, 1000};
    assertEquals(
        -0.5, ConvergenceExperiment.fitSlope(w, new double[] {3, 0.3 * Math.sqrt(10), 0.3}), 1e-12);
    assertEquals(1.0, ConvergenceExperiment.fitSlope(new int[] {2, 4}, new double[] {2, 4}), 1e-12);
  }

  @Test
  void rejectsASingleWidth() {
    ModelSpec spec = ModelSpec.builder(1).fourierFeatures(0).depth(1).build();
    ConvergenceExperiment e = new ConvergenceExperiment(spec, new double[] {0.5}, 1, 1);
    assertThrows(NtkException.class, () -> e.run(new int[] {8, 8}, 1, (w, s) -> null, null));
  }
}
