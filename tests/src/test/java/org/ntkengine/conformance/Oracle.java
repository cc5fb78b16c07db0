package org.ntkengine.conformance;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Independent float64 results computed with EJML, the oracle for every backend. */
final class Oracle {
  private Oracle() {}

  static DMatrixRMaj matrix(double[] data, int rows, int cols) {
    return DMatrixRMaj.wrap(rows, cols, data.clone());
  }

  /** C = op(A)·op(B) in float64. */
  static double[] product(
      double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb) {
    DMatrixRMaj ma = matrix(a, ar, ac);
    DMatrixRMaj mb = matrix(b, br, bc);
    int m = ta ? ac : ar;
    int n = tb ? br : bc;
    DMatrixRMaj c = new DMatrixRMaj(m, n);
    if (!ta && !tb) {
      CommonOps_DDRM.mult(ma, mb, c);
    } else if (ta && !tb) {
      CommonOps_DDRM.multTransA(ma, mb, c);
    } else if (!ta) {
      CommonOps_DDRM.multTransB(ma, mb, c);
    } else {
      CommonOps_DDRM.multTransAB(ma, mb, c);
    }
    return c.data;
  }
}
