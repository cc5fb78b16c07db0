package org.ntkengine.cuda;

import static jcuda.jcublas.cublasFillMode.CUBLAS_FILL_MODE_UPPER;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;

/**
 * Products through CUDA 12's cuBLAS (JCublas2). Two handles, so that the math mode is fixed per
 * handle and never switched under a concurrent caller: one with default maths (true FP32 and FP64)
 * and one that allows TF32 tensor cores, used only when an operand is declared TF32.
 *
 * <p>Layout: the engine stores row-major, cuBLAS reads column-major, and a row-major r×c matrix
 * read column-major is its c×r transpose. So C = op(A)·op(B) is asked of cuBLAS as Cᵀ =
 * op(B)ᵀ·op(A)ᵀ: the operands swap places, each keeps its own transpose flag, and every leading
 * dimension is the stored row length. This class is the only place where that mapping happens.
 * Callers hold the backend's context current.
 */
final class CublasProducts implements AutoCloseable {
  private final cublasHandle exact = new cublasHandle();
  private final cublasHandle tensor = new cublasHandle();

  /** Creates both handles in the current context. */
  CublasProducts() {
    JCublas2.setExceptionsEnabled(true);
    JCublas2.cublasCreate(exact);
    try {
      JCublas2.cublasCreate(tensor);
    } catch (RuntimeException e) {
      JCublas2.cublasDestroy(exact);
      throw e;
    }
    JCublas2.cublasSetMathMode(exact, cublasMath.CUBLAS_DEFAULT_MATH);
    JCublas2.cublasSetMathMode(tensor, cublasMath.CUBLAS_TF32_TENSOR_OP_MATH);
  }

  /**
   * Row-major C = α·op(A)·op(B) + β·C with m, n, k all positive.
   *
   * @param transA whether A is transposed
   * @param transB whether B is transposed
   * @param m rows of C
   * @param n columns of C
   * @param k inner dimension
   * @param alpha scale of the product
   * @param a A's device address
   * @param lda A's stored row length
   * @param b B's device address
   * @param ldb B's stored row length
   * @param beta scale of the old C (0 overwrites without reading)
   * @param c C's device address
   * @param ldc C's stored row length
   * @param single FP32 storage (else FP64)
   * @param tf32 allow TF32 tensor-core maths (FP32 storage only)
   */
  void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      Pointer a,
      int lda,
      Pointer b,
      int ldb,
      double beta,
      Pointer c,
      int ldc,
      boolean single,
      boolean tf32) {
    int opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N;
    int opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (single) {
      JCublas2.cublasSgemm(
          tf32 ? tensor : exact,
          opB,
          opA,
          n,
          m,
          k,
          Pointer.to(new float[] {(float) alpha}),
          b,
          ldb,
          a,
          lda,
          Pointer.to(new float[] {(float) beta}),
          c,
          ldc);
    } else {
      JCublas2.cublasDgemm(
          exact,
          opB,
          opA,
          n,
          m,
          k,
          Pointer.to(new double[] {alpha}),
          b,
          ldb,
          a,
          lda,
          Pointer.to(new double[] {beta}),
          c,
          ldc);
    }
  }

  /**
   * The lower triangle (row-major) of C = α·A·Aᵀ + β·C, A being n×k row-major: column-major that is
   * the upper triangle of (Aᵀ)ᵀ·Aᵀ, hence fill mode upper and operation T.
   *
   * @param n rows of A and order of C
   * @param k columns of A
   * @param alpha scale of the product
   * @param a A's device address
   * @param lda A's stored row length
   * @param beta scale of the old C
   * @param c C's device address
   * @param ldc C's stored row length
   * @param single FP32 storage (else FP64)
   */
  void syrkLower(
      int n,
      int k,
      double alpha,
      Pointer a,
      int lda,
      double beta,
      Pointer c,
      int ldc,
      boolean single) {
    if (single) {
      JCublas2.cublasSsyrk(
          exact,
          CUBLAS_FILL_MODE_UPPER,
          CUBLAS_OP_T,
          n,
          k,
          Pointer.to(new float[] {(float) alpha}),
          a,
          lda,
          Pointer.to(new float[] {(float) beta}),
          c,
          ldc);
    } else {
      JCublas2.cublasDsyrk(
          exact,
          CUBLAS_FILL_MODE_UPPER,
          CUBLAS_OP_T,
          n,
          k,
          Pointer.to(new double[] {alpha}),
          a,
          lda,
          Pointer.to(new double[] {beta}),
          c,
          ldc);
    }
  }

  @Override
  public void close() {
    try {
      JCublas2.cublasDestroy(exact);
    } finally {
      JCublas2.cublasDestroy(tensor);
    }
  }
}
