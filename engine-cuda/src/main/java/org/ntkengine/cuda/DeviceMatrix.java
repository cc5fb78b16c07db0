package org.ntkengine.cuda;

import jcuda.driver.CUdeviceptr;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/**
 * A dense row-major matrix in device memory: element (i, j) lives at byte offset (i·cols + j)·size
 * from {@link #pointer()}. Views of row ranges share their parent's block. Closing a matrix returns
 * its block to the backend's pool; closing a view releases nothing.
 */
public final class DeviceMatrix implements Matrix {
  private final CudaBackend owner;
  private final int rows;
  private final int cols;
  private final Precision precision;
  private final CUdeviceptr block;
  private final long byteOffset;
  private final DeviceMatrix parent;
  private volatile boolean closed;

  DeviceMatrix(
      CudaBackend owner,
      int rows,
      int cols,
      Precision precision,
      CUdeviceptr block,
      long byteOffset,
      DeviceMatrix parent) {
    this.owner = owner;
    this.rows = rows;
    this.cols = cols;
    this.precision = precision;
    this.block = block;
    this.byteOffset = byteOffset;
    this.parent = parent;
  }

  /**
   * Returns the device address of element (0, 0).
   *
   * @return the pointer; for an empty matrix, a null device pointer
   * @throws IllegalStateException when the matrix (or its parent) is closed
   */
  public CUdeviceptr pointer() {
    checkOpen();
    if (block == null) {
      return new CUdeviceptr();
    }
    return byteOffset == 0 ? block : block.withByteOffset(byteOffset);
  }

  /**
   * Returns the storage size of the elements.
   *
   * @return rows·cols·bytes per element
   */
  public long bytes() {
    return size() * precision.bytes();
  }

  CudaBackend owner() {
    return owner;
  }

  CUdeviceptr block() {
    return block;
  }

  long byteOffset() {
    return byteOffset;
  }

  DeviceMatrix root() {
    return parent == null ? this : parent;
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

  void checkOpen() {
    if (isClosed()) {
      throw new IllegalStateException("matrix " + shape() + " was used after close()");
    }
  }

  @Override
  public synchronized void close() {
    if (parent != null || closed) {
      return;
    }
    closed = true;
    owner.release(this);
  }

  @Override
  public String toString() {
    return "DeviceMatrix[" + shape() + "]";
  }
}
