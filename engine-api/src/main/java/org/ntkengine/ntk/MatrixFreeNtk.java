package org.ntkengine.ntk;

import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;
import org.ntkengine.linalg.SymmetricOperator;
import org.ntkengine.model.LayerFactors;

/**
 * The output-averaged empirical NTK Θ(X, X) as a matrix-free operator: for a row vector v, (vΘ)_i =
 * (1/k)·Σ_c Σ_W s_W²·δ^c_iᵀ·M_W·a_i with M_W = Δ^cᵀ·diag(v)·A (fan_out×fan_in), plus σ_b²·(vΔ)Δᵀ
 * for each bias (DESIGN.md §3). Each product costs O(n·fan_in·fan_out) per weight and vector and
 * stores no n×n matrix; it is the operator the Lanczos solver uses when a dense Θ does not fit.
 *
 * <p>Holds the Jacobian factors of X; close it to release them. Not thread-safe.
 */
public final class MatrixFreeNtk implements SymmetricOperator, AutoCloseable {
  private final LayerFactors factors;
  private final Precision precision;
  private final Backend backend;
  private long applications;

  MatrixFreeNtk(LayerFactors factors, Precision precision) {
    this.factors = factors;
    this.precision = precision;
    this.backend = factors.backend();
  }

  @Override
  public int size() {
    return factors.samples();
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public Precision precision() {
    return precision;
  }

  /**
   * Returns how many vectors have been multiplied so far (a block of b counts b).
   *
   * @return the count
   */
  public long applications() {
    return applications;
  }

  @Override
  public void apply(Matrix vectors, Matrix out) {
    int n = size();
    if (vectors.cols() != n || out.rows() != vectors.rows() || out.cols() != n) {
      throw new IllegalArgumentException(
          "the NTK operator of size "
              + n
              + " needs V b×"
              + n
              + " and out of the same shape, got V "
              + vectors.shape()
              + ", out "
              + out.shape());
    }
    int b = vectors.rows();
    int k = factors.outputs();
    backend.fill(out, 0.0);
    for (LayerFactors.Term term : factors.terms()) {
      int fo = term.fanOut();
      if (term.biasScale() != 0) {
        // Bias: out += (σ_b²/k)·(VΔ)Δᵀ, batched over the block.
        try (Matrix vd = backend.allocate(b, fo, precision)) {
          for (Matrix delta : term.deltas()) {
            backend.gemm(Transpose.NO, Transpose.NO, 1.0, vectors, delta, 0.0, vd);
            double s = term.biasScale() * term.biasScale() / k;
            backend.gemm(Transpose.NO, Transpose.YES, s, vd, delta, 1.0, out);
          }
        }
      }
      for (LayerFactors.Factor f : term.factors()) {
        Matrix a = f.activations();
        int fi = a.cols();
        double s2 = f.scale() * f.scale() / k;
        try (Matrix onesIn = backend.allocate(1, fi, precision);
            Matrix onesOut = backend.allocate(1, fo, precision);
            Matrix scaled = backend.allocate(n, fi, precision);
            Matrix m = backend.allocate(fo, fi, precision);
            Matrix t = backend.allocate(n, fo, precision)) {
          backend.fill(onesIn, 1.0);
          backend.fill(onesOut, 1.0);
          for (int r = 0; r < b; r++) {
            Matrix v = backend.viewRows(vectors, r, 1);
            Matrix o = backend.viewRows(out, r, 1);
            // diag(v)·A as the Hadamard product of A with the outer product v·1ᵀ.
            backend.gemm(Transpose.YES, Transpose.NO, 1.0, v, onesIn, 0.0, scaled);
            backend.hadamard(1.0, scaled, a, 0.0, scaled);
            for (Matrix delta : term.deltas()) {
              backend.gemm(Transpose.YES, Transpose.NO, 1.0, delta, scaled, 0.0, m);
              backend.gemm(Transpose.NO, Transpose.YES, 1.0, a, m, 0.0, t);
              backend.hadamard(1.0, t, delta, 0.0, t);
              backend.gemm(Transpose.NO, Transpose.YES, s2, onesOut, t, 1.0, o);
            }
          }
        }
      }
    }
    applications += b;
  }

  @Override
  public void close() {
    factors.close();
  }
}
