package org.ntkengine.backend;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Matrix} stored on the Java heap, row-major, as {@code double[]} (FP64) or {@code
 * float[]} (FP32). Element (i, j) lives at {@code offset + i * cols + j}. Views share the array of
 * their parent with a different offset and row count. Used by the host backends (reference and
 * simd).
 */
public final class HostMatrix implements Matrix {
  private final Object owner;
  private final int rows;
  private final int cols;
  private final Precision precision;
  private final double[] doubles;
  private final float[] floats;
  private final int offset;
  private final HostMatrix parent;
  private final AtomicLong liveCounter;
  private boolean closed;

  private HostMatrix(
      Object owner,
      int rows,
      int cols,
      Precision precision,
      double[] doubles,
      float[] floats,
      int offset,
      HostMatrix parent,
      AtomicLong liveCounter) {
    this.owner = owner;
    this.liveCounter = liveCounter;
    this.rows = rows;
    this.cols = cols;
    this.precision = precision;
    this.doubles = doubles;
    this.floats = floats;
    this.offset = offset;
    this.parent = parent;
  }

  /**
   * Allocates a zero-filled matrix.
   *
   * @param owner the backend that owns it (checked when it is used)
   * @param rows rows, at least 0
   * @param cols columns, at least 0
   * @param precision element format
   * @return the matrix
   * @throws IllegalArgumentException when a dimension is negative or the count exceeds an array
   */
  public static HostMatrix allocate(Object owner, int rows, int cols, Precision precision) {
    return allocate(owner, rows, cols, precision, null);
  }

  /**
   * Allocates a zero-filled matrix whose lifetime is counted: the counter goes up now and down when
   * the matrix is first closed, so a backend can report its live allocations.
   *
   * @param owner the backend that owns it (checked when it is used)
   * @param rows rows, at least 0
   * @param cols columns, at least 0
   * @param precision element format
   * @param liveCounter the owner's count of open matrices, or null not to count
   * @return the matrix
   * @throws IllegalArgumentException when a dimension is negative or the count exceeds an array
   */
  public static HostMatrix allocate(
      Object owner, int rows, int cols, Precision precision, AtomicLong liveCounter) {
    Shapes.checkDimensions(rows, cols);
    long n = (long) rows * cols;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a host matrix holds at most 2^31-9 elements; "
              + rows
              + "x"
              + cols
              + " has "
              + n
              + ": split it into tiles");
    }
    HostMatrix m =
        precision.isSingle()
            ? new HostMatrix(
                owner, rows, cols, precision, null, new float[(int) n], 0, null, liveCounter)
            : new HostMatrix(
                owner, rows, cols, precision, new double[(int) n], null, 0, null, liveCounter);
    if (liveCounter != null) {
      liveCounter.incrementAndGet();
    }
    return m;
  }

  /**
   * Returns a view of rows [first, first + count) sharing this matrix's storage.
   *
   * @param first the first row
   * @param count how many rows
   * @return the view
   */
  public HostMatrix viewRows(int first, int count) {
    checkOpen();
    Shapes.checkRowRange(this, first, count);
    return new HostMatrix(
        owner,
        count,
        cols,
        precision,
        doubles,
        floats,
        offset + first * cols,
        parent == null ? this : parent,
        null);
  }

  /**
   * Casts a matrix to a host matrix owned by the given backend.
   *
   * @param m the matrix
   * @param owner the backend that must own it
   * @return the host matrix
   * @throws IllegalArgumentException when it belongs to another backend
   * @throws IllegalStateException when it is closed
   */
  public static HostMatrix of(Matrix m, Object owner) {
    if (!(m instanceof HostMatrix h) || h.owner != owner) {
      throw new IllegalArgumentException(
          "matrix " + m.shape() + " belongs to another backend: copy it through the host first");
    }
    h.checkOpen();
    return h;
  }

  /**
   * Returns the double storage (FP64 only), shared, not copied.
   *
   * @return the backing array, or null for single precision
   */
  public double[] doubles() {
    return doubles;
  }

  /**
   * Returns the float storage (FP32/TF32 only), shared, not copied.
   *
   * @return the backing array, or null for FP64
   */
  public float[] floats() {
    return floats;
  }

  /**
   * Returns the index of element (0, 0) in the backing array.
   *
   * @return the offset
   */
  public int offset() {
    return offset;
  }

  /**
   * Reads element (i, j) as a double.
   *
   * @param i row
   * @param j column
   * @return the value
   */
  public double get(int i, int j) {
    int k = offset + i * cols + j;
    return doubles != null ? doubles[k] : floats[k];
  }

  /**
   * Writes element (i, j), rounding to float in single precision.
   *
   * @param i row
   * @param j column
   * @param value the value
   */
  public void set(int i, int j, double value) {
    int k = offset + i * cols + j;
    if (doubles != null) {
      doubles[k] = value;
    } else {
      floats[k] = (float) value;
    }
  }

  /**
   * Reads the flat element k (row-major) as a double.
   *
   * @param k index in [0, size)
   * @return the value
   */
  public double getFlat(int k) {
    return doubles != null ? doubles[offset + k] : floats[offset + k];
  }

  /**
   * Writes the flat element k (row-major).
   *
   * @param k index in [0, size)
   * @param value the value, rounded to float in single precision
   */
  public void setFlat(int k, double value) {
    if (doubles != null) {
      doubles[offset + k] = value;
    } else {
      floats[offset + k] = (float) value;
    }
  }

  /**
   * Copies the first size() values of a host array into this matrix, rounded to float in single
   * precision.
   *
   * @param source the values, row-major
   * @throws IllegalArgumentException when the array is too short
   */
  public void copyFrom(double[] source) {
    int n = Shapes.checkHostLength(source.length, this);
    if (doubles != null) {
      System.arraycopy(source, 0, doubles, offset, n);
    } else {
      for (int k = 0; k < n; k++) {
        floats[offset + k] = (float) source[k];
      }
    }
  }

  /**
   * Copies the first size() values of a host array into this matrix.
   *
   * @param source the values, row-major
   * @throws IllegalArgumentException when the array is too short
   */
  public void copyFrom(float[] source) {
    int n = Shapes.checkHostLength(source.length, this);
    if (floats != null) {
      System.arraycopy(source, 0, floats, offset, n);
    } else {
      for (int k = 0; k < n; k++) {
        doubles[offset + k] = source[k];
      }
    }
  }

  /**
   * Copies this matrix into the first size() places of a host array.
   *
   * @param target the array, row-major
   * @throws IllegalArgumentException when the array is too short
   */
  public void copyTo(double[] target) {
    int n = Shapes.checkHostLength(target.length, this);
    if (doubles != null) {
      System.arraycopy(doubles, offset, target, 0, n);
    } else {
      for (int k = 0; k < n; k++) {
        target[k] = floats[offset + k];
      }
    }
  }

  /**
   * Copies this matrix into the first size() places of a host array, rounded to float.
   *
   * @param target the array, row-major
   * @throws IllegalArgumentException when the array is too short
   */
  public void copyTo(float[] target) {
    int n = Shapes.checkHostLength(target.length, this);
    if (floats != null) {
      System.arraycopy(floats, offset, target, 0, n);
    } else {
      for (int k = 0; k < n; k++) {
        target[k] = (float) doubles[offset + k];
      }
    }
  }

  /**
   * Copies every element of another host matrix of the same size and precision into this one.
   *
   * @param source the matrix to copy
   * @throws IllegalArgumentException when sizes or precisions differ
   */
  public void copyFrom(HostMatrix source) {
    Shapes.checkSameSize(source, this);
    int n = (int) size();
    if (doubles != null) {
      System.arraycopy(source.doubles, source.offset, doubles, offset, n);
    } else {
      System.arraycopy(source.floats, source.offset, floats, offset, n);
    }
  }

  /**
   * Sets every element to one value.
   *
   * @param value the value
   */
  public void fill(double value) {
    int n = rows * cols;
    if (doubles != null) {
      Arrays.fill(doubles, offset, offset + n, value);
    } else {
      Arrays.fill(floats, offset, offset + n, (float) value);
    }
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public Precision precision() {
    return precision;
  }

  /**
   * Whether this matrix (or, for a view, its parent) has been closed.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed || (parent != null && parent.closed);
  }

  /**
   * Throws when the matrix is closed.
   *
   * @throws IllegalStateException when closed
   */
  public void checkOpen() {
    if (isClosed()) {
      throw new IllegalStateException("matrix " + shape() + " was used after close()");
    }
  }

  @Override
  public synchronized void close() {
    if (parent == null && !closed) {
      closed = true;
      if (liveCounter != null) {
        liveCounter.decrementAndGet();
      }
    }
  }

  @Override
  public String toString() {
    return "HostMatrix[" + shape() + "]";
  }
}
