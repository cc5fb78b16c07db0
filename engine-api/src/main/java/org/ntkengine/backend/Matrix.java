package org.ntkengine.backend;

/**
 * A dense row-major matrix owned by one {@link Backend}; its elements may live in that backend's
 * memory (a GPU's), so reading them is an explicit {@link Backend#download} call.
 *
 * <p>A vector is a matrix with one column (or one row); every operation that treats its operands
 * element by element works on any shape with the same element count.
 *
 * <p>Closing a matrix releases its storage; closing a view ({@link Backend#viewRows}) releases
 * nothing and leaves the parent usable. Using a closed matrix throws {@link IllegalStateException}.
 */
public interface Matrix extends AutoCloseable {

  /**
   * Returns the number of rows.
   *
   * @return rows, at least 0
   */
  int rows();

  /**
   * Returns the number of columns.
   *
   * @return columns, at least 0
   */
  int cols();

  /**
   * Returns the element format.
   *
   * @return the precision
   */
  Precision precision();

  /**
   * Returns the number of elements, rows·cols.
   *
   * @return the element count
   */
  default long size() {
    return (long) rows() * cols();
  }

  /**
   * Returns a short description such as {@code 3x4 FP32}, for error messages.
   *
   * @return the shape and precision
   */
  default String shape() {
    return rows() + "x" + cols() + " " + precision();
  }

  /** Releases the storage; idempotent. */
  @Override
  void close();
}
