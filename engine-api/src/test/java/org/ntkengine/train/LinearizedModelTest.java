package org.ntkengine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.train.LinearizedModel.Dynamics;

/**
 * The linearised model's Krylov matrix functions against a dense float64 eigendecomposition (EJML):
 * f_lin,train = Y + V·D(Λ)·Vᵀ(f_0 − Y) and f_lin,test = f_0,test − K_ts·V·((1 − D(Λ))/Λ)·Vᵀ (f_0 −
 * Y), for a full-rank and a rank-deficient Θ.
 */
class LinearizedModelTest {
  private static final int N = 14;
  private static final int NT = 5;
  private static final int K = 3;

  @Test
  void matchesTheDenseEigendecompositionForFlowAndGradientDescent() {
    check(17L, 30);
  }

  @Test
  void rankDeficientKernelNeedsNoRidge() {
    // 6 features for 14 points: Θ = JJᵀ has rank 6 and eight zero eigenvalues.
    check(23L, 6);
  }

  private static void check(long seed, int features) {
    Random r = new Random(seed);
    double[] j = gaussians(r, (N + NT) * features);
    // Θ over train ∪ test from one feature map, so the cross kernel is consistent with Θ.
    double[] all = new double[(N + NT) * (N + NT)];
    for (int a = 0; a < N + NT; a++) {
      for (int b = 0; b < N + NT; b++) {
        double s = 0;
        for (int p = 0; p < features; p++) {
          s += j[a * features + p] * j[b * features + p];
        }
        all[a * (N + NT) + b] = s / features;
      }
    }
    double[] theta = new double[N * N];
    double[] cross = new double[NT * N];
    for (int a = 0; a < N; a++) {
      System.arraycopy(all, a * (N + NT), theta, a * N, N);
    }
    for (int a = 0; a < NT; a++) {
      System.arraycopy(all, (N + a) * (N + NT), cross, a * N, N);
    }
    double[] f0 = gaussians(r, N * K);
    double[] f0t = gaussians(r, NT * K);
    double[] y = gaussians(r, N * K);

    DMatrixRMaj t = new DMatrixRMaj(N, N, true, theta);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(N, true, true);
    eig.decompose(t.copy());
    double lambdaMax = 0;
    for (int i = 0; i < N; i++) {
      lambdaMax = Math.max(lambdaMax, eig.getEigenvalue(i).real);
    }
    double eta = 0.8 * 2 * N / lambdaMax;

    try (Backend be = new ReferenceBackend();
        LinearizedModel lin = new LinearizedModel(be, theta, N, cross, NT, f0, f0t, y, K)) {
      for (Dynamics dyn : Dynamics.values()) {
        for (int steps : new int[] {0, 1, 7, 250}) {
          double[] train = lin.train(dyn, eta, steps);
          double[] test = lin.test(dyn, eta, steps);
          double[][] ref = dense(eig, cross, f0, f0t, y, dyn, eta, steps);
          String where = dyn + " after " + steps + " steps, seed " + seed;
          assertClose(ref[0], train, 1e-9, "train " + where);
          assertClose(ref[1], test, 1e-8, "test " + where);
        }
      }
    }
  }

  private static double[][] dense(
      EigenDecomposition_F64<DMatrixRMaj> eig,
      double[] cross,
      double[] f0,
      double[] f0t,
      double[] y,
      Dynamics dyn,
      double eta,
      int steps) {
    double lambdaMax = 0;
    for (int i = 0; i < N; i++) {
      lambdaMax = Math.max(lambdaMax, eig.getEigenvalue(i).real);
    }
    DMatrixRMaj dMat = new DMatrixRMaj(N, N);
    DMatrixRMaj gMat = new DMatrixRMaj(N, N);
    for (int i = 0; i < N; i++) {
      double lambda = eig.getEigenvalue(i).real;
      DMatrixRMaj v = eig.getEigenVector(i).copy();
      CommonOps_DDRM.divide(v, Math.sqrt(CommonOps_DDRM.dot(v, v)));
      double x = eta * lambda / N;
      double d = dyn == Dynamics.FLOW ? Math.exp(-x * steps) : Math.pow(1 - x, steps);
      // Zero eigenvalues (up to rounding) learn at rate η/n: the limit of (1 − D)/λ.
      double g = Math.abs(lambda) < 1e-10 * lambdaMax ? eta * steps / N : (1 - d) / lambda;
      DMatrixRMaj outer = new DMatrixRMaj(N, N);
      CommonOps_DDRM.multTransB(v, v, outer);
      CommonOps_DDRM.addEquals(dMat, d, outer);
      CommonOps_DDRM.addEquals(gMat, g, outer);
    }
    DMatrixRMaj r = new DMatrixRMaj(N, K);
    for (int i = 0; i < N * K; i++) {
      r.data[i] = f0[i] - y[i];
    }
    DMatrixRMaj train = new DMatrixRMaj(N, K);
    CommonOps_DDRM.mult(dMat, r, train);
    for (int i = 0; i < N * K; i++) {
      train.data[i] += y[i];
    }
    DMatrixRMaj learnt = new DMatrixRMaj(N, K);
    CommonOps_DDRM.mult(gMat, r, learnt);
    DMatrixRMaj test = new DMatrixRMaj(NT, K);
    CommonOps_DDRM.mult(new DMatrixRMaj(NT, N, true, cross), learnt, test);
    double[] t = new double[NT * K];
    for (int i = 0; i < t.length; i++) {
      t[i] = f0t[i] - test.data[i];
    }
    return new double[][] {train.data, t};
  }

  private static void assertClose(double[] expected, double[] actual, double tol, String what) {
    double scale = 1;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * scale, what + ", element " + i);
    }
  }

  private static double[] gaussians(Random r, int count) {
    double[] a = new double[count];
    for (int i = 0; i < count; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }
}
