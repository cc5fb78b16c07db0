package org.ntkengine.data;

import java.util.Arrays;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.Network;

/**
 * A data set held on the host: inputs X (n×d), targets Y (n×k) and, for classification, the class
 * labels behind Y (Y is then one-hot). All arrays are row-major and owned by the record; callers
 * must not modify them.
 *
 * @param name a short description, e.g. {@code fashion-mnist:train:2000}
 * @param size n, the number of samples
 * @param inputDim d, the number of input features
 * @param inputs X, n·d values
 * @param outputs k, the number of targets per sample (0 when the set has none)
 * @param targets Y, n·k values
 * @param labels the class of each sample, or null for regression
 * @param classes the number of classes (0 for regression)
 */
public record Dataset(
    String name,
    int size,
    int inputDim,
    double[] inputs,
    int outputs,
    double[] targets,
    int[] labels,
    int classes) {

  /** Checks that the arrays fit the stated shapes. */
  public Dataset {
    if (size < 0 || inputDim < 1 || outputs < 0) {
      throw new IllegalArgumentException(
          "data set " + name + ": bad shape n=" + size + ", d=" + inputDim + ", k=" + outputs);
    }
    if (inputs.length != (long) size * inputDim || targets.length != (long) size * outputs) {
      throw new IllegalArgumentException(
          "data set "
              + name
              + ": expected "
              + size
              + "x"
              + inputDim
              + " inputs and "
              + size
              + "x"
              + outputs
              + " targets, got "
              + inputs.length
              + " and "
              + targets.length
              + " values");
    }
    if (labels != null && labels.length != size) {
      throw new IllegalArgumentException(
          "data set " + name + ": " + labels.length + " labels for " + size + " samples");
    }
  }

  /**
   * Builds a classification set whose targets are the one-hot encoding of the labels.
   *
   * @param name the name
   * @param inputDim d
   * @param inputs X, n·d values
   * @param labels classes in [0, classes)
   * @param classes the number of classes
   * @return the data set, with k = classes
   */
  public static Dataset classification(
      String name, int inputDim, double[] inputs, int[] labels, int classes) {
    double[] y = new double[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "data set " + name + ": label " + labels[i] + " outside [0, " + classes + ")");
      }
      y[i * classes + labels[i]] = 1.0;
    }
    return new Dataset(name, labels.length, inputDim, inputs, classes, y, labels.clone(), classes);
  }

  /**
   * Builds a regression set.
   *
   * @param name the name
   * @param inputDim d
   * @param inputs X, n·d values
   * @param outputs k
   * @param targets Y, n·k values
   * @return the data set
   */
  public static Dataset regression(
      String name, int inputDim, double[] inputs, int outputs, double[] targets) {
    return new Dataset(name, inputs.length / inputDim, inputDim, inputs, outputs, targets, null, 0);
  }

  /**
   * Whether the set has class labels.
   *
   * @return true for classification
   */
  public boolean isClassification() {
    return labels != null;
  }

  /**
   * Copies the inputs to a backend.
   *
   * @param backend the backend
   * @param precision the element format
   * @return X, n×d; the caller closes it
   */
  public Matrix inputs(Backend backend, Precision precision) {
    return Network.upload(backend, precision, inputs, size, inputDim);
  }

  /**
   * Copies the targets to a backend.
   *
   * @param backend the backend
   * @param precision the element format
   * @return Y, n×k; the caller closes it
   * @throws IllegalStateException when the set has no targets
   */
  public Matrix targets(Backend backend, Precision precision) {
    if (outputs == 0) {
      throw new IllegalStateException("data set " + name + " has no targets");
    }
    return Network.upload(backend, precision, targets, size, outputs);
  }

  /**
   * Returns the samples at the given rows, in that order.
   *
   * @param rows row indices in [0, n)
   * @param newName the subset's name
   * @return the subset
   */
  public Dataset subset(int[] rows, String newName) {
    double[] x = new double[rows.length * inputDim];
    double[] y = new double[rows.length * outputs];
    int[] l = labels == null ? null : new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(inputs, rows[r] * inputDim, x, r * inputDim, inputDim);
      System.arraycopy(targets, rows[r] * outputs, y, r * outputs, outputs);
      if (l != null) {
        l[r] = labels[rows[r]];
      }
    }
    return new Dataset(newName, rows.length, inputDim, x, outputs, y, l, classes);
  }

  /**
   * Returns a copy whose rows have unit Euclidean norm (zero rows stay zero).
   *
   * @return the normalised set
   */
  public Dataset normalizeRows() {
    double[] x = inputs.clone();
    for (int i = 0; i < size; i++) {
      double s = 0;
      for (int j = 0; j < inputDim; j++) {
        s += x[i * inputDim + j] * x[i * inputDim + j];
      }
      double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (int j = 0; j < inputDim; j++) {
        x[i * inputDim + j] *= inv;
      }
    }
    return new Dataset(name, size, inputDim, x, outputs, targets, labels, classes);
  }

  /**
   * Counts the samples of each class.
   *
   * @return counts per class (empty for regression)
   */
  public int[] classCounts() {
    int[] c = new int[classes];
    if (labels != null) {
      for (int l : labels) {
        c[l]++;
      }
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dataset s
        && name.equals(s.name)
        && size == s.size
        && inputDim == s.inputDim
        && outputs == s.outputs
        && classes == s.classes
        && Arrays.equals(inputs, s.inputs)
        && Arrays.equals(targets, s.targets)
        && Arrays.equals(labels, s.labels);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(inputs);
  }

  @Override
  public String toString() {
    return name + " (n=" + size + ", d=" + inputDim + ", k=" + outputs + ")";
  }

  /**
   * Checks that every value is finite.
   *
   * @param source the file (or description) the values came from, for the message
   * @param values row-major values
   * @param cols the row length
   * @param what "input" or "target", for the message
   * @throws org.ntkengine.NtkException (bad input) naming the file, row and column of the first NaN
   *     or infinity
   */
  public static void requireFinite(String source, double[] values, int cols, String what) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw org.ntkengine.NtkException.badInput(
            source
                + ": "
                + what
                + " row "
                + (i / cols)
                + ", column "
                + (i % cols)
                + " is "
                + values[i]
                + " (rows and columns count from 0); remove or impute non-finite values");
      }
    }
  }
}
