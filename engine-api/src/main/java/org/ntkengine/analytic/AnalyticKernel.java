package org.ntkengine.analytic;

/**
 * The infinite-width NNGP and NTK of a network's output between two input sets (or one set with
 * itself), float64, row-major {@code rows × cols}. With k outputs both are the same for every
 * output (outputs are independent in the limit), so this is also the output-averaged kernel.
 *
 * @param rows n₁
 * @param cols n₂
 * @param nngp the NNGP kernel, rows×cols row-major
 * @param ntk the NTK, rows×cols row-major
 */
public record AnalyticKernel(int rows, int cols, double[] nngp, double[] ntk) {
  /**
   * Checks the shapes.
   *
   * @throws IllegalArgumentException when an array's length is not rows·cols
   */
  public AnalyticKernel {
    if (nngp.length != (long) rows * cols || ntk.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "kernel arrays must hold " + rows + "x" + cols + " values");
    }
  }

  /**
   * Returns the NNGP entry K(x_i, x′_j).
   *
   * @param i row
   * @param j column
   * @return the value
   */
  public double nngp(int i, int j) {
    return nngp[i * cols + j];
  }

  /**
   * Returns the NTK entry Θ(x_i, x′_j).
   *
   * @param i row
   * @param j column
   * @return the value
   */
  public double ntk(int i, int j) {
    return ntk[i * cols + j];
  }
}
