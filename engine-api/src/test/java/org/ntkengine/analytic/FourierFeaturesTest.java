package org.ntkengine.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntkengine.NtkException;
import org.ntkengine.model.ModelSpec;

/** The Fourier-feature input kernels, and one set against two sets. */
class FourierFeaturesTest {
  private static double[] uniform(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[count];
    for (int i = 0; i < count; i++) {
      a[i] = r.nextDouble();
    }
    return a;
  }

  private static double[] gaussian(int count, double sd, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[count];
    for (int i = 0; i < count; i++) {
      a[i] = sd * r.nextGaussian();
    }
    return a;
  }

  @Test
  void exactKernelIsTheMeanCosineOfTheDifference() {
    int m = 7;
    int d = 3;
    int n = 5;
    double[] b = gaussian(m * d, 1.5, 1);
    double[] x = uniform(n * d, 2);
    KernelState s = FourierFeatures.exact(b, m, d).initial(x, n, d);
    double[] k = s.nngp();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double expected = 0;
        for (int f = 0; f < m; f++) {
          double dot = 0;
          for (int c = 0; c < d; c++) {
            dot += b[f * d + c] * (x[i * d + c] - x[j * d + c]);
          }
          expected += Math.cos(2 * Math.PI * dot);
        }
        expected /= m;
        assertEquals(expected, k[i * n + j], 1e-13, "entry " + i + "," + j);
      }
      assertEquals(1.0, k[i * n + i], 0.0, "diagonal exactly 1");
      assertEquals(0.0, s.ntk()[i * n + i], 0.0, "fixed B has no NTK of its own");
    }
  }

  @Test
  void manyFrequenciesApproachTheGaussianLimit() {
    int m = 40000;
    int d = 2;
    int n = 4;
    double sigma = 0.8;
    double[] x = uniform(n * d, 3);
    double[] exact = FourierFeatures.exact(gaussian(m * d, sigma, 4), m, d).initial(x, n, d).nngp();
    double[] limit = FourierFeatures.gaussianLimit(sigma).initial(x, n, d).nngp();
    for (int i = 0; i < n * n; i++) {
      // Monte Carlo over m frequencies: standard deviation ≤ 1/√(2m) ≈ 0.0035.
      assertEquals(limit[i], exact[i], 0.02, "entry " + i);
    }
    double dist2 = (x[0] - x[2]) * (x[0] - x[2]) + (x[1] - x[3]) * (x[1] - x[3]);
    assertEquals(Math.exp(-2 * Math.PI * Math.PI * sigma * sigma * dist2), limit[1], 1e-15);
  }

  @Test
  void twoSetsEqualTheBlockOfOneSet() {
    int d = 2;
    ModelSpec spec =
        ModelSpec.builder(d).fourierFeatures(6).depth(3).sigmaB(0.2).survival(0.7).build();
    double[] b = gaussian(6 * d, 1.0, 5);
    double[] x1 = uniform(3 * d, 6);
    double[] x2 = uniform(4 * d, 7);
    x2[2] = x1[0]; // one shared point, so the identity mask matters across sets
    x2[3] = x1[1];
    double[] all = new double[7 * d];
    System.arraycopy(x1, 0, all, 0, x1.length);
    System.arraycopy(x2, 0, all, x1.length, x2.length);
    for (AnalyticNetwork net :
        List.of(
            AnalyticNetwork.forSpec(spec, b),
            AnalyticNetwork.gaussianLimit(spec),
            AnalyticNetwork.forSpec(
                spec.toBuilder().fourierFeatures(0).build(), (double[]) null))) {
      AnalyticKernel full = net.kernel(all, 7, d);
      AnalyticKernel cross = net.kernel(x1, 3, x2, 4, d);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
          assertEquals(full.ntk(i, 3 + j), cross.ntk(i, j), 1e-14 * full.ntk(0, 0), net + " NTK");
          assertEquals(
              full.nngp(i, 3 + j), cross.nngp(i, j), 1e-14 * full.nngp(0, 0), net + " NNGP");
        }
      }
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 7; j++) {
          assertEquals(full.ntk(i, j), full.ntk(j, i), 0.0, "symmetric");
        }
      }
      assertEquals(full.ntk(0, 0), cross.ntk(0, 1), 0.0, "shared point on the boundary");
    }
  }

  @Test
  void badShapesAreRejectedWithTheirShapes() {
    NtkException e =
        assertThrows(NtkException.class, () -> FourierFeatures.exact(new double[5], 2, 3));
    assertEquals(true, e.getMessage().contains("2x3"), e.getMessage());
    FourierFeatures f = FourierFeatures.exact(new double[6], 2, 3);
    NtkException wrongD = assertThrows(NtkException.class, () -> f.initial(new double[4], 2, 2));
    assertEquals(true, wrongD.getMessage().contains("2 columns"), wrongD.getMessage());
    NtkException nan =
        assertThrows(
            NtkException.class,
            () -> new LinearInput().initial(new double[] {1, Double.NaN}, 1, 2));
    assertEquals(true, nan.getMessage().contains("row 0, column 1"), nan.getMessage());
    assertThrows(
        NtkException.class,
        () -> AnalyticNetwork.gaussianLimit(ModelSpec.builder(2).trainableFourier(true).build()));
  }
}
