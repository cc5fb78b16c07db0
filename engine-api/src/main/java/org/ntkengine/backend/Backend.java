package org.ntkengine.backend;

import java.util.Set;

/**
 * A compute engine for dense linear algebra on row-major matrices: the operations that the NTK
 * assembly, the model's passes and the Lanczos solver are built from. Obtain one from {@link
 * Backends#open(String)}; close it to release its threads and device memory.
 *
 * <p>Conventions for every operation: matrices must belong to this backend and share one precision;
 * a coefficient β = 0 overwrites the output, so whatever it held before (NaN included) does not
 * reach the result; shapes are checked first and a mismatch throws {@link IllegalArgumentException}
 * naming every shape. Results are deterministic: the same inputs on the same backend and thread
 * count give the same bits.
 *
 * <p>Implementations are safe to call from several threads at once on distinct output matrices.
 */
public interface Backend extends AutoCloseable {

  /**
   * Returns the backend's name as used by {@code -Dntk.backend} and {@code --backend}.
   *
   * @return a lower-case name such as {@code reference}
   */
  String name();

  /**
   * Returns the precisions this backend accepts.
   *
   * @return the supported precisions
   */
  Set<Precision> precisions();

  // ---- storage

  /**
   * Allocates a zero-filled matrix.
   *
   * @param rows rows
   * @param cols columns
   * @param precision element format, one of {@link #precisions()}
   * @return the matrix
   */
  Matrix allocate(int rows, int cols, Precision precision);

  /**
   * Copies host data (row-major) into an existing matrix, rounding to its precision.
   *
   * @param source rows·cols values, row-major
   * @param target the matrix to fill
   */
  void upload(double[] source, Matrix target);

  /**
   * Copies host data (row-major) into an existing matrix.
   *
   * @param source rows·cols values, row-major
   * @param target the matrix to fill
   */
  void upload(float[] source, Matrix target);

  /**
   * Copies a matrix to the host (row-major), widening single precision to double.
   *
   * @param source the matrix
   * @param target an array of at least rows·cols elements
   */
  void download(Matrix source, double[] target);

  /**
   * Copies a single-precision matrix to the host; FP64 matrices are rounded to float.
   *
   * @param source the matrix
   * @param target an array of at least rows·cols elements
   */
  void download(Matrix source, float[] target);

  /**
   * Returns a view of rows [first, first + count) that shares storage with {@code m}; closing it
   * releases nothing.
   *
   * @param m the matrix
   * @param first first row
   * @param count number of rows
   * @return the view
   */
  Matrix viewRows(Matrix m, int first, int count);

  /**
   * Copies every element of {@code source} into {@code target} (same element count).
   *
   * @param source the source
   * @param target the destination
   */
  void copy(Matrix source, Matrix target);

  /**
   * Sets every element to one value.
   *
   * @param m the matrix
   * @param value the value
   */
  void fill(Matrix m, double value);

  // ---- products

  /**
   * General product C = α·op(A)·op(B) + β·C, where op is the identity or the transpose.
   *
   * @param ta transpose of A
   * @param tb transpose of B
   * @param alpha scale of the product
   * @param a A
   * @param b B
   * @param beta scale of the old C; 0 overwrites
   * @param c C, m×n
   */
  void gemm(Transpose ta, Transpose tb, double alpha, Matrix a, Matrix b, double beta, Matrix c);

  /**
   * Gram assembly C = α·A·Bᵀ + β·C, where the rows of A and B are samples.
   *
   * @param alpha scale of the product
   * @param a A, m×p
   * @param b B, n×p
   * @param beta scale of the old C; 0 overwrites
   * @param c C, m×n
   */
  default void gram(double alpha, Matrix a, Matrix b, double beta, Matrix c) {
    gemm(Transpose.NO, Transpose.YES, alpha, a, b, beta, c);
  }

  /**
   * Symmetric Gram assembly C = α·A·Aᵀ + β·C: each pair (i, j) is computed once and mirrored, so C
   * is exactly symmetric when the old C was.
   *
   * @param alpha scale of the product
   * @param a A, n×p
   * @param beta scale of the old C; 0 overwrites
   * @param c C, n×n
   */
  void gramSymmetric(double alpha, Matrix a, double beta, Matrix c);

  /**
   * Matrix-vector product y = α·op(A)·x + β·y.
   *
   * @param ta transpose of A
   * @param alpha scale
   * @param a A
   * @param x a column vector (k×1)
   * @param beta scale of the old y; 0 overwrites
   * @param y the output column vector
   */
  default void gemv(Transpose ta, double alpha, Matrix a, Matrix x, double beta, Matrix y) {
    gemm(ta, Transpose.NO, alpha, a, x, beta, y);
  }

  // ---- element-wise

  /**
   * Hadamard accumulate C = s·(X ⊙ Y) + β·C, element by element.
   *
   * @param s scale of the product
   * @param x X
   * @param y Y, same element count
   * @param beta scale of the old C; 0 overwrites, 1 accumulates
   * @param c C, same element count
   */
  void hadamard(double s, Matrix x, Matrix y, double beta, Matrix c);

  /**
   * Applies an element-wise function: out = f(x). {@code out} may be {@code x}.
   *
   * @param op the function
   * @param x the argument
   * @param out the result, same element count
   */
  void map(UnaryOp op, Matrix x, Matrix out);

  /**
   * Adds a scaled row vector to every row: C[i, :] += s·v.
   *
   * @param s the scale
   * @param v a vector of C's column count
   * @param c the matrix updated in place
   */
  void addRowVector(double s, Matrix v, Matrix c);

  /**
   * Column sums out = s·(Σ_i A[i, :]) + β·out.
   *
   * @param s the scale
   * @param a A, m×n
   * @param beta scale of the old out; 0 overwrites
   * @param out a vector of n elements
   */
  void columnSums(double s, Matrix a, double beta, Matrix out);

  /**
   * y = α·x + β·y, element by element (axpy with β = 1, scale with x = y).
   *
   * @param alpha scale of x
   * @param x x
   * @param beta scale of the old y; 0 overwrites
   * @param y y, same element count
   */
  void axpby(double alpha, Matrix x, double beta, Matrix y);

  /**
   * The sum of products of corresponding elements, accumulated in double.
   *
   * @param x x
   * @param y y, same element count
   * @return Σ x_k·y_k
   */
  double dot(Matrix x, Matrix y);

  /**
   * The Frobenius (or Euclidean) norm.
   *
   * @param x the matrix
   * @return √(Σ x_k²)
   */
  default double norm(Matrix x) {
    return Math.sqrt(dot(x, x));
  }

  /**
   * Block orthogonalisation of v against the rows of a basis: coefficients c = Q·v, then v −= Qᵀ·c,
   * as two matrix products. Callers wanting full reorthogonalisation call it twice.
   *
   * @param basis Q, k×n, whose rows are orthonormal
   * @param v a column vector of n elements, updated in place
   * @param coefficients a column vector of k elements receiving c (overwritten)
   */
  default void orthogonalize(Matrix basis, Matrix v, Matrix coefficients) {
    if (basis.rows() == 0) {
      return;
    }
    gemv(Transpose.NO, 1.0, basis, v, 0.0, coefficients);
    gemv(Transpose.YES, -1.0, basis, coefficients, 1.0, v);
  }

  /**
   * Counts the matrices this backend allocated that have not been closed yet (views excluded), so
   * tests and long-running applications can find leaks.
   *
   * @return the number of open matrices, or −1 when this backend does not track them
   */
  default long liveAllocations() {
    return -1;
  }

  /** Releases threads, pools and device memory. Matrices it allocated must not be used after. */
  @Override
  void close();
}
