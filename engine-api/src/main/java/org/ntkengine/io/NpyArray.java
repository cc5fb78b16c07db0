package org.ntkengine.io;

import java.util.Arrays;

/**
 * An array read from or written to a NumPy .npy file: its shape (C order) and its values widened to
 * double.
 *
 * @param shape the dimensions, outermost first; a scalar has an empty shape
 * @param data the values in C (row-major) order
 * @param dtype the NumPy type descriptor it was stored as, such as {@code <f4}
 */
public record NpyArray(int[] shape, double[] data, String dtype) {

  /**
   * Returns the number of rows of a 1-D or 2-D array (a 1-D array is one column).
   *
   * @return the first dimension
   */
  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /**
   * Returns the number of columns of a 2-D array, or 1 for a 1-D array.
   *
   * @return the second dimension
   */
  public int cols() {
    return shape.length < 2 ? 1 : shape[1];
  }

  /**
   * Whether the array was stored as 32-bit floats.
   *
   * @return true for {@code f4}
   */
  public boolean isFloat32() {
    return dtype.endsWith("f4");
  }

  /**
   * Checks that the array is 2-D (or 1-D, taken as one column) and every value is finite.
   *
   * @param name the file name, for messages
   * @return this array
   * @throws org.ntkengine.NtkException (bad input) naming the file, row and column of the first NaN
   *     or infinity, or the shape when it is not a matrix
   */
  public NpyArray requireFiniteMatrix(String name) {
    if (shape.length < 1 || shape.length > 2) {
      throw org.ntkengine.NtkException.badInput(
          name + ": expected a 2-D array (rows = samples), got shape " + Arrays.toString(shape));
    }
    int c = cols();
    for (int k = 0; k < data.length; k++) {
      if (!Double.isFinite(data[k])) {
        throw org.ntkengine.NtkException.badInput(
            name
                + ": value "
                + data[k]
                + " at row "
                + (k / c)
                + ", column "
                + (k % c)
                + " (0-based) is not finite; remove or impute it");
      }
    }
    return this;
  }

  @Override
  public String toString() {
    return "NpyArray" + Arrays.toString(shape) + " " + dtype;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data)
        && dtype.equals(other.dtype);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(data)) + dtype.hashCode();
  }
}
