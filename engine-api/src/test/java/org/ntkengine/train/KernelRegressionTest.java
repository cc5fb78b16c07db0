package org.ntkengine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Kernel regression's Cholesky solve against EJML's general solver, and the ridge fallback. */
class KernelRegressionTest {

  @Test
  void predictionsMatchADenseSolve() {
    Random r = new Random(5);
    int n = 20;
    int m = 7;
    int k = 3;
    int p = 40;
    double[] feats = new double[(n + m) * p];
    for (int i = 0; i < feats.length; i++) {
      feats[i] = r.nextGaussian();
    }
    double[] kn = new double[n * n];
    double[] km = new double[m * n];
    for (int a = 0; a < n + m; a++) {
      for (int b = 0; b < n; b++) {
        double s = 0;
        for (int q = 0; q < p; q++) {
          s += feats[a * p + q] * feats[b * p + q];
        }
        if (a < n) {
          kn[a * n + b] = s;
        } else {
          km[(a - n) * n + b] = s;
        }
      }
    }
    double[] y = new double[n * k];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextGaussian();
    }
    double rel = 1e-3;
    KernelRegression.Fit fit = KernelRegression.fit(kn, n, y, k, rel);
    double meanDiag = 0;
    for (int i = 0; i < n; i++) {
      meanDiag += kn[i * n + i] / n;
    }
    assertEquals(rel * meanDiag, fit.ridge(), 1e-12 * meanDiag);

    DMatrixRMaj a = new DMatrixRMaj(n, n, true, kn);
    for (int i = 0; i < n; i++) {
      a.add(i, i, fit.ridge());
    }
    DMatrixRMaj coef = new DMatrixRMaj(n, k);
    assertTrue(CommonOps_DDRM.solve(a, new DMatrixRMaj(n, k, true, y), coef));
    DMatrixRMaj expected = new DMatrixRMaj(m, k);
    CommonOps_DDRM.mult(new DMatrixRMaj(m, n, true, km), coef, expected);
    double[] f = KernelRegression.predict(km, m, fit);
    for (int i = 0; i < f.length; i++) {
      assertEquals(expected.data[i], f[i], 1e-9 * (1 + Math.abs(expected.data[i])), "entry " + i);
    }
  }

  @Test
  void singularKernelGetsARidgeThatMakesItSolvable() {
    // Rank one: [1 1; 1 1] has a zero eigenvalue, so the Cholesky solve needs a ridge.
    double[] k = {1, 1, 1, 1};
    KernelRegression.Fit fit = KernelRegression.fit(k, 2, new double[] {1, -1}, 1, 0.0);
    assertTrue(fit.ridge() > 0, "a ridge was added");
    // (K + λI)⁻¹(1, −1) = (1, −1)/λ along the null vector.
    assertEquals(1 / fit.ridge(), fit.coefficients()[0], 1e-3 / fit.ridge());
  }
}
