package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntkengine.analytic.ConvergenceExperiment;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;

/**
 * The referee of the infinite-width derivation on the real model: the empirical NTK and NNGP of
 * NTK-ECRN (evaluation mode) approach the analytic kernels at rate n^{−1/2}.
 */
class ModelConvergenceTest {
  private static final int N = 8;

  private static double[] inputs(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[N * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble();
    }
    return x;
  }

  private static ModelSpec spec(Activation act) {
    return ModelSpec.builder(2)
        .fourierFeatures(16)
        .depth(3)
        .activation(act)
        .alpha(1.0)
        .survival(0.8)
        .build();
  }

  @Test
  void factorKernelsEqualTheEmpiricalNtk() {
    ModelSpec spec = spec(Activation.ERF).toBuilder().width(24).outputs(3).build();
    double[] x = inputs(5);
    try (Backend be = Backends.open("reference")) {
      ConvergenceExperiment.Measurement m =
          EmpiricalKernels.measure(be, Precision.FP64, spec, x, N, 9);
      double[] ref = new double[N * N];
      try (Network net = Network.initialize(be, Precision.FP64, spec, 9);
          Matrix xm = Network.upload(be, Precision.FP64, x, N, 2);
          Matrix theta = new EmpiricalNtk(net).kernel(xm)) {
        be.download(theta, ref);
      }
      for (int i = 0; i < N * N; i++) {
        assertEquals(ref[i], m.ntk()[i], 1e-12 * Math.abs(ref[0]), "entry " + i);
      }
      for (int i = 0; i < N; i++) {
        assertTrue(m.nngp()[i * N + i] > 0, "NNGP diagonal " + i);
      }
      assertEquals(16 * 2, m.fourierFrequencies().length);
    }
  }

  private static void converges(Activation act) {
    ModelSpec spec = spec(act);
    double[] x = inputs(3);
    int[] widths = {64, 128, 256, 512, 1024, 2048};
    ConvergenceExperiment.Result r;
    try (Backend be = Backends.open("auto")) {
      Precision p = be.precisions().contains(Precision.FP64) ? Precision.FP64 : Precision.FP32;
      r =
          new ConvergenceExperiment(spec, x, N, 2)
              .run(
                  widths,
                  3,
                  (w, s) ->
                      EmpiricalKernels.measure(be, p, spec.toBuilder().width(w).build(), x, N, s),
                  null);
    }
    String detail =
        act
            + ": NTK errors "
            + Arrays.toString(r.ntkRelError())
            + ", NNGP errors "
            + Arrays.toString(r.nngpRelError());
    assertTrue(
        r.slopeNtk() >= -0.65 && r.slopeNtk() <= -0.35, "NTK slope " + r.slopeNtk() + " " + detail);
    assertTrue(
        r.slopeNngp() >= -0.65 && r.slopeNngp() <= -0.35,
        "NNGP slope " + r.slopeNngp() + " " + detail);
  }

  @Test
  void reluModelConvergesToTheAnalyticKernel() {
    converges(Activation.RELU);
  }

  @Test
  void erfModelConvergesToTheAnalyticKernel() {
    converges(Activation.ERF);
  }
}
