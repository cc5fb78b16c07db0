package org.ntkengine.linalg;

import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;

/**
 * A symmetric positive semi-definite linear operator Θ on R^n, given densely or matrix-free, that
 * applies to a block of vectors at once. Vectors are the rows of a b×n matrix, so the result of
 * applying Θ to the block V is V·Θ (= (Θ·Vᵀ)ᵀ, Θ being symmetric).
 */
public interface SymmetricOperator {

  /**
   * Returns n, the dimension.
   *
   * @return the operator's size
   */
  int size();

  /**
   * Returns the backend whose matrices {@link #apply} accepts.
   *
   * @return the backend
   */
  Backend backend();

  /**
   * Returns the precision of the vectors {@link #apply} accepts.
   *
   * @return the precision
   */
  Precision precision();

  /**
   * Computes out = V·Θ for a block of row vectors.
   *
   * @param vectors V, b×n, rows are vectors
   * @param out b×n, overwritten
   */
  void apply(Matrix vectors, Matrix out);

  /**
   * Wraps a dense symmetric n×n matrix held by a backend.
   *
   * @param backend the backend that owns {@code theta}
   * @param theta Θ, n×n, symmetric
   * @return the operator; it does not own or close {@code theta}
   */
  static SymmetricOperator dense(Backend backend, Matrix theta) {
    if (theta.rows() != theta.cols()) {
      throw new IllegalArgumentException(
          "a symmetric operator needs a square matrix, got " + theta.shape());
    }
    return new SymmetricOperator() {
      @Override
      public int size() {
        return theta.rows();
      }

      @Override
      public Backend backend() {
        return backend;
      }

      @Override
      public Precision precision() {
        return theta.precision();
      }

      @Override
      public void apply(Matrix vectors, Matrix out) {
        // V·Θ = V·Θᵀ for symmetric Θ; the transposed form reads rows of the row-major Θ
        // contiguously, which is what a plain or streaming kernel wants.
        backend.gemm(Transpose.NO, Transpose.YES, 1.0, vectors, theta, 0.0, out);
      }
    };
  }
}
