package org.ntkengine.backend;

/** Argument checks shared by every backend, with messages that name the shapes involved. */
public final class Shapes {
  private Shapes() {}

  /**
   * Checks that dimensions are non-negative.
   *
   * @param rows rows
   * @param cols columns
   * @throws IllegalArgumentException when either is negative
   */
  public static void checkDimensions(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "matrix dimensions must be non-negative, got " + rows + "x" + cols);
    }
  }

  /**
   * Checks a row range of a matrix.
   *
   * @param m the matrix
   * @param first first row
   * @param count number of rows
   * @throws IllegalArgumentException when the range leaves the matrix
   */
  public static void checkRowRange(Matrix m, int first, int count) {
    if (first < 0 || count < 0 || (long) first + count > m.rows()) {
      throw new IllegalArgumentException(
          "rows [" + first + ", " + (first + count) + ") are outside matrix " + m.shape());
    }
  }

  /**
   * Checks the operands of C = α·op(A)·op(B) + β·C and returns the inner dimension.
   *
   * @param ta whether A is transposed
   * @param tb whether B is transposed
   * @param a A
   * @param b B
   * @param c C
   * @return the inner (summed) dimension
   * @throws IllegalArgumentException naming all three shapes when they do not fit
   */
  public static int checkGemm(Transpose ta, Transpose tb, Matrix a, Matrix b, Matrix c) {
    int m = ta == Transpose.NO ? a.rows() : a.cols();
    int ka = ta == Transpose.NO ? a.cols() : a.rows();
    int kb = tb == Transpose.NO ? b.rows() : b.cols();
    int n = tb == Transpose.NO ? b.cols() : b.rows();
    if (ka != kb || c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException(
          "shapes do not fit C = op(A)·op(B): A "
              + a.shape()
              + (ta == Transpose.YES ? " transposed" : "")
              + ", B "
              + b.shape()
              + (tb == Transpose.YES ? " transposed" : "")
              + ", C "
              + c.shape()
              + "; expected C "
              + m
              + "x"
              + n
              + " and equal inner dimensions ("
              + ka
              + " vs "
              + kb
              + ")");
    }
    checkSamePrecision(a, b, c);
    return ka;
  }

  /**
   * Checks that matrices share one precision.
   *
   * @param ms the matrices
   * @throws IllegalArgumentException naming the precisions when they differ
   */
  public static void checkSamePrecision(Matrix... ms) {
    for (Matrix m : ms) {
      if (m.precision().isSingle() != ms[0].precision().isSingle()) {
        StringBuilder sb = new StringBuilder("operands mix precisions:");
        for (Matrix x : ms) {
          sb.append(' ').append(x.shape());
        }
        throw new IllegalArgumentException(sb.append("; convert them to one precision").toString());
      }
    }
  }

  /**
   * Checks that matrices hold the same number of elements.
   *
   * @param ms the matrices
   * @throws IllegalArgumentException naming the shapes when they differ
   */
  public static void checkSameSize(Matrix... ms) {
    for (Matrix m : ms) {
      if (m.size() != ms[0].size()) {
        StringBuilder sb = new StringBuilder("element-wise operands differ in size:");
        for (Matrix x : ms) {
          sb.append(' ').append(x.shape());
        }
        throw new IllegalArgumentException(sb.toString());
      }
    }
    checkSamePrecision(ms);
  }

  /**
   * Checks that a host array can hold every element of a matrix (upload or download).
   *
   * @param length the array's length
   * @param m the matrix
   * @return the matrix's element count
   * @throws IllegalArgumentException naming both sizes when the array is too short
   */
  public static int checkHostLength(int length, Matrix m) {
    if (length < m.size()) {
      throw new IllegalArgumentException(
          "host array of " + length + " elements is too short for matrix " + m.shape());
    }
    return (int) m.size();
  }
}
