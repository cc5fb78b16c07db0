package org.ntkengine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host eigensolver of the projected problems against EJML, with reconstruction checks. */
class SymmetricEigenTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 8, 31, 64, 150})
  void denseMatchesEjmlAndReconstructs(int m) {
    long seed = 300 + m;
    Random r = new Random(seed);
    double[] a = new double[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double x = r.nextGaussian();
        a[i * m + j] = x;
        a[j * m + i] = x;
      }
    }
    check(a, m, SymmetricEigen.decompose(a, m, m), seed);
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 40})
  void arrowheadAndRepeatedValues(int m) {
    // The shape of a thick-restart projection: diagonal block, one coupling row, then a tail.
    double[] a = new double[m * m];
    for (int i = 0; i < m; i++) {
      a[i * m + i] = i < m / 2 ? 2.0 : 1.0 + i * 1e-3;
    }
    for (int i = 0; i < m / 2; i++) {
      a[i * m + m / 2] = 1e-3 * (i + 1);
      a[(m / 2) * m + i] = 1e-3 * (i + 1);
    }
    check(a, m, SymmetricEigen.decompose(a, m, m), m);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 20})
  void tridiagonalMatchesClosedForm(int m) {
    // tridiag(−1, 2, −1) has eigenvalues 2 − 2cos(πj/(m+1)).
    double[] d = new double[m];
    double[] e = new double[Math.max(0, m - 1)];
    Arrays.fill(d, 2.0);
    Arrays.fill(e, -1.0);
    SymmetricEigen eig = SymmetricEigen.tridiagonal(d, e);
    for (int j = 1; j <= m; j++) {
      assertEquals(2 - 2 * Math.cos(Math.PI * j / (m + 1)), eig.values()[j - 1], 1e-14);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 10})
  void zeroMatrix(int m) {
    SymmetricEigen eig = SymmetricEigen.decompose(new double[m * m], m, m);
    for (double v : eig.values()) {
      assertEquals(0.0, v, 0.0);
    }
  }

  private static void check(double[] a, int m, SymmetricEigen eig, long seed) {
    double scale = 1.0;
    for (double x : a) {
      scale = Math.max(scale, Math.abs(x));
    }
    double tol = 1e-13 * scale * Math.max(1, m);
    if (m > 0) {
      EigenDecomposition_F64<DMatrixRMaj> ref = DecompositionFactory_DDRM.eig(m, false, true);
      ref.decompose(new DMatrixRMaj(m, m, true, a.clone()));
      double[] expected = new double[m];
      for (int i = 0; i < m; i++) {
        expected[i] = ref.getEigenvalue(i).real;
      }
      Arrays.sort(expected);
      for (int i = 0; i < m; i++) {
        assertEquals(expected[i], eig.values()[i], tol, "eigenvalue " + i + " seed " + seed);
      }
    }
    // Z orthogonal and A·Z = Z·Λ.
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double zz = 0.0;
        double az = 0.0;
        for (int k = 0; k < m; k++) {
          zz += eig.vector(k, i) * eig.vector(k, j);
          az += a[i * m + k] * eig.vector(k, j);
        }
        assertEquals(i == j ? 1.0 : 0.0, zz, 1e-13 * Math.max(1, m), "ZᵀZ seed " + seed);
        assertEquals(eig.values()[j] * eig.vector(i, j), az, tol, "AZ = ZΛ seed " + seed);
      }
    }
  }
}
