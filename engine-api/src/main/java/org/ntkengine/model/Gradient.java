package org.ntkengine.model;

import java.util.List;
import java.util.Map;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;

/**
 * The gradient of the squared loss with respect to a network's trainable tensors, held on the
 * network's backend, with the loss it was computed at. Close it to release the matrices.
 */
public final class Gradient implements AutoCloseable {
  private final Backend backend;
  private final Map<String, Matrix> tensors;
  private final double loss;

  Gradient(Backend backend, Map<String, Matrix> tensors, double loss) {
    this.backend = backend;
    this.tensors = tensors;
    this.loss = loss;
  }

  /**
   * Returns the loss (1/2b)·‖f(X) − Y‖² at the parameters the gradient was taken at.
   *
   * @return the loss
   */
  public double loss() {
    return loss;
  }

  /**
   * Returns the names of the tensors, in layout order (trainable tensors only).
   *
   * @return the names
   */
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /**
   * Returns one tensor's gradient as a backend matrix (owned by this object).
   *
   * @param name a name from {@link #names()}
   * @return the matrix, same shape as the parameter
   * @throws IllegalArgumentException for a name without a gradient
   */
  public Matrix matrix(String name) {
    Matrix m = tensors.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "no gradient for '" + name + "' (fixed or unknown); the gradient holds " + names());
    }
    return m;
  }

  /**
   * Downloads one tensor's gradient.
   *
   * @param name a name from {@link #names()}
   * @return the values, row-major, in float64
   */
  public double[] download(String name) {
    Matrix m = matrix(name);
    double[] a = new double[Math.toIntExact(m.size())];
    backend.download(m, a);
    return a;
  }

  /**
   * Returns the Euclidean norm over all tensors.
   *
   * @return ‖g‖
   */
  public double norm() {
    double s = 0;
    for (Matrix m : tensors.values()) {
      s += backend.dot(m, m);
    }
    return Math.sqrt(s);
  }

  @Override
  public void close() {
    for (Matrix m : tensors.values()) {
      m.close();
    }
  }
}
