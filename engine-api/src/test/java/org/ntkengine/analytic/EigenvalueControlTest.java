package org.ntkengine.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;
import org.ntkengine.NtkException;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;

/** Eigenvalue control, its bounds, and the eigen-solver against Commons Math. */
class EigenvalueControlTest {
  private static final int N = 40;
  private static final int D = 2;

  private static double[] uniform(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[count];
    for (int i = 0; i < count; i++) {
      a[i] = r.nextDouble();
    }
    return a;
  }

  private static double[] commonsMathEigenvalues(double[] a, int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i] = Arrays.copyOfRange(a, i * n, (i + 1) * n);
    }
    double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(m, false)).getRealEigenvalues();
    Arrays.sort(ev);
    return ev;
  }

  private static ModelSpec spec(Activation act) {
    return ModelSpec.builder(D)
        .fourierFeatures(16)
        .fourierSigma(1.0)
        .depth(3)
        .activation(act)
        .sigmaB(0.1)
        .survival(0.8)
        .build();
  }

  private static double[] frequencies(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] b = new double[16 * D];
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextGaussian();
    }
    return b;
  }

  @Test
  void eigenSolverMatchesCommonsMath() {
    for (int n : new int[] {1, 2, 3, 17, 64}) {
      SplittableRandom r = new SplittableRandom(n);
      double[] a = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          double v = r.nextGaussian();
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      }
      double[] ours = ExtremeEigenvalues.extremes(a, n);
      double[] ref = commonsMathEigenvalues(a, n);
      double scale = Math.max(Math.abs(ref[0]), Math.abs(ref[n - 1]));
      assertEquals(ref[0], ours[0], 1e-12 * scale, "λ_min, n=" + n + ", seed " + n);
      assertEquals(ref[n - 1], ours[1], 1e-12 * scale, "λ_max, n=" + n + ", seed " + n);
    }
    // Repeated eigenvalues and the zero matrix.
    assertEquals(2.0, ExtremeEigenvalues.extremes(new double[] {2, 0, 0, 2}, 2)[1], 0);
    assertEquals(0.0, ExtremeEigenvalues.extremes(new double[9], 3)[0], 0);
  }

  @Test
  void reachesTheRequestedLambdaMax() {
    for (Activation act : Activation.values()) {
      ModelSpec spec = spec(act);
      FourierFeatures ff = FourierFeatures.exact(frequencies(3), 16, D);
      double[] x = uniform(N * D, 4);
      EigenvalueControl control = new EigenvalueControl(spec, ff, x, N, D);
      double target = 1.7 * control.evaluate(1.0).lambdaMax();
      EigenvalueControl.Result r = control.targetLambdaMax(target, 1e-9);
      assertEquals(target, r.reached(), 1e-6 * target, act + ": reached");
      // Independently: rebuild the kernel at the α found and solve with Commons Math.
      double[] theta = AnalyticNetwork.forSpec(spec.withAlpha(r.alpha()), ff).kernel(x, N, D).ntk();
      double[] ev = commonsMathEigenvalues(theta, N);
      assertEquals(target, ev[N - 1], 1e-6 * target, act + ": λ_max by Commons Math");
      assertEquals(2.0 * N / ev[N - 1], r.evaluation().maxStableStep(), 1e-6 * N / target);
      assertTrue(r.alpha() > 1, act + ": a larger λ_max needs a larger α, got " + r.alpha());
    }
  }

  @Test
  void reachesTheRequestedConditionNumber() {
    ModelSpec spec = spec(Activation.RELU);
    FourierFeatures ff = FourierFeatures.exact(frequencies(5), 16, D);
    double[] x = uniform(12 * D, 6);
    EigenvalueControl control = new EigenvalueControl(spec, ff, x, 12, D);
    double k0 = control.evaluate(0).condition();
    double k1 = control.evaluate(2).condition();
    double target = Math.sqrt(k0 * k1);
    EigenvalueControl.Result r = control.targetCondition(target, 1e-9);
    assertEquals(target, r.reached(), 1e-6 * target);
    double[] ev =
        commonsMathEigenvalues(
            AnalyticNetwork.forSpec(spec.withAlpha(r.alpha()), ff).kernel(x, 12, D).ntk(), 12);
    assertEquals(target, ev[11] / ev[0], 1e-5 * target, "κ by Commons Math");
  }

  @Test
  void boundsHoldAndTheDiagonalHasItsClosedForm() {
    for (Activation act : Activation.values()) {
      for (boolean residual : new boolean[] {true, false}) {
        ModelSpec spec = spec(act).toBuilder().residual(residual).build();
        EigenvalueControl control =
            new EigenvalueControl(
                spec, FourierFeatures.gaussianLimit(1.3), uniform(N * D, 8), N, D);
        for (double alpha : new double[] {0, 0.5, 1, 3}) {
          EigenvalueControl.Evaluation e = control.evaluate(alpha);
          String at = act + (residual ? " residual" : " plain") + " α=" + alpha;
          assertTrue(e.maxDiagonal() <= e.lambdaMax() * (1 + 1e-12), at + ": diag ≤ λ_max");
          assertTrue(e.lambdaMax() <= e.trace() * (1 + 1e-12), at + ": λ_max ≤ trace");
          assertTrue(e.lambdaMax() <= e.gershgorin() * (1 + 1e-12), at + ": λ_max ≤ Gershgorin");
          assertEquals(e.maxDiagonal(), e.closedFormDiagonal(), 1e-13 * e.maxDiagonal(), at);
          assertEquals(e.minDiagonal(), e.closedFormDiagonal(), 1e-13 * e.maxDiagonal(), at);
          assertEquals(N * e.closedFormDiagonal(), e.trace(), 1e-12 * e.trace(), at);
        }
      }
    }
  }

  @Test
  void reluClosedFormMatchesTheRecursion() {
    // σ_b = 0: Θ(x, x) = σ_w⁴·Π r_l·(2 + Σ a_lσ_w⁴/r_l). By hand for one block, σ_w = 1, α = 1,
    // p = 1: a = 1, r = 3/2, Θ = (3/2)(2 + 2/3) = 4.
    assertEquals(
        4.0, EigenvalueControl.reluDiagonalNtk(1, new double[] {1}, new double[] {1}), 1e-15);
    for (double sw : new double[] {0.7, 1, 1.4}) {
      ModelSpec spec =
          ModelSpec.builder(2)
              .depth(5)
              .sigmaW(sw)
              .sigmaB(0)
              .alphas(0.3, 0.5, 0.1, 0.9, 0.4)
              .survivals(1, 0.9, 0.8, 0.7, 0.6)
              .build();
      assertEquals(
          EigenvalueControl.diagonalNtk(spec),
          EigenvalueControl.reluDiagonalNtk(sw, spec.alphas(), spec.survival()),
          1e-13 * EigenvalueControl.diagonalNtk(spec));
    }
  }

  @Test
  void unreachableTargetsSayWhy() {
    EigenvalueControl control =
        new EigenvalueControl(
            spec(Activation.RELU), FourierFeatures.gaussianLimit(1), uniform(8 * D, 9), 8, D);
    double floor = control.evaluate(0).lambdaMax();
    NtkException e =
        assertThrows(NtkException.class, () -> control.targetLambdaMax(floor / 2, 1e-9));
    assertTrue(e.getMessage().contains("α = 0"), e.getMessage());
    assertThrows(NtkException.class, () -> control.targetCondition(1e300, 1e-9));
  }
}
