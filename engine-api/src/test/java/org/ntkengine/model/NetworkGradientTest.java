package org.ntkengine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;

/**
 * The loss gradient of every parameter group against central finite differences of the loss in
 * float64, for both activations, with fixed and trainable Fourier features and without them, in
 * evaluation mode and under a training mask.
 */
class NetworkGradientTest {
  private static final int D = 3;
  private static final int B = 4;

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of(Activation.RELU, 4, false, true),
        Arguments.of(Activation.RELU, 4, true, true),
        Arguments.of(Activation.RELU, 0, false, true),
        Arguments.of(Activation.ERF, 4, false, true),
        Arguments.of(Activation.ERF, 4, true, true),
        Arguments.of(Activation.ERF, 0, false, false),
        Arguments.of(Activation.RELU, 3, true, false));
  }

  private static ModelSpec spec(Activation act, int m, boolean trainable, boolean residual) {
    return ModelSpec.builder(D)
        .fourierFeatures(m)
        .fourierSigma(0.7)
        .trainableFourier(trainable)
        .width(5)
        .depth(2)
        .activation(act)
        .outputs(2)
        .sigmaW(1.3)
        .sigmaB(0.4)
        .alphas(0.9, 1.1)
        .survivals(0.8, 0.6)
        .residual(residual)
        .build();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void gradientMatchesCentralDifferences(
      Activation act, int m, boolean trainable, boolean residual) {
    ModelSpec spec = spec(act, m, trainable, residual);
    Parameters params = Parameters.initialize(spec, 11);
    double[] x = new SeededRandom(5).gaussians(new double[B * D]);
    double[] y = new SeededRandom(6).gaussians(new double[B * spec.outputs()]);
    for (double[] mask : List.of(StochasticDepth.evaluation(spec), new double[] {1.0, 0.0})) {
      checkAgainstDifferences(spec, params, x, y, mask);
    }
  }

  private static void checkAgainstDifferences(
      ModelSpec spec, Parameters params, double[] x, double[] y, double[] mask) {
    Backend be = new ReferenceBackend();
    Precision p = Precision.FP64;
    try (Matrix mx = Network.upload(be, p, x, B, D);
        Matrix my = Network.upload(be, p, y, B, spec.outputs());
        Network net = new Network(be, p, params);
        Gradient g = net.lossGradient(mx, my, mask)) {
      int expectedGroups = 0;
      for (ParameterTensor t : Parameters.layout(spec)) {
        if (!t.trainable()) {
          assertTrue(!g.names().contains(t.name()), t.name() + " is fixed but has a gradient");
          continue;
        }
        expectedGroups++;
        double[] analytic = g.download(t.name());
        double[] base = params.get(t.name());
        double h = 1e-6;
        for (int q = 0; q < base.length; q++) {
          double[] plus = base.clone();
          plus[q] += h;
          double[] minus = base.clone();
          minus[q] -= h;
          double numeric =
              (loss(be, params.with(t.name(), plus), mx, my, mask)
                      - loss(be, params.with(t.name(), minus), mx, my, mask))
                  / (2 * h);
          int entry = q;
          assertEquals(
              numeric,
              analytic[q],
              1e-6 * (1 + Math.abs(numeric)),
              () ->
                  spec
                      + " "
                      + t.name()
                      + "["
                      + entry
                      + "], mask "
                      + java.util.Arrays.toString(mask));
        }
      }
      assertEquals(expectedGroups, g.names().size(), "one gradient per trainable tensor");
      assertEquals(loss(be, params, mx, my, mask), g.loss(), 1e-14, "loss reported with it");
    }
  }

  private static double loss(Backend be, Parameters params, Matrix x, Matrix y, double[] mask) {
    try (Network net = new Network(be, Precision.FP64, params)) {
      return net.loss(x, y, mask);
    }
  }
}
