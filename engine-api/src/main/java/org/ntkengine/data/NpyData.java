package org.ntkengine.data;

import java.nio.file.Path;
import org.ntkengine.NtkException;
import org.ntkengine.io.Npy;
import org.ntkengine.io.NpyArray;

/**
 * Reads a data set from NumPy .npy files: inputs (n×d, or n×… flattened per row, or a vector read
 * as n×1), and optionally integer class labels (a vector of n) or regression targets (n×k, or a
 * vector read as n×1).
 */
public final class NpyData {
  private NpyData() {}

  /**
   * Reads the files.
   *
   * @param inputs the inputs file
   * @param labels the labels file, or null
   * @param targets the targets file, or null
   * @return the data set
   * @throws NtkException (bad input) naming the file, row and column of a non-finite value, a
   *     non-integer or negative label, or mismatched row counts
   */
  public static Dataset read(Path inputs, Path labels, Path targets) {
    if (labels != null && targets != null) {
      throw NtkException.usage("give either labels=PATH or targets=PATH for npy data, not both");
    }
    NpyArray xa = Npy.read(inputs);
    int n = xa.shape().length == 0 ? 1 : xa.shape()[0];
    int d = n == 0 ? 0 : xa.data().length / Math.max(n, 1);
    if (xa.shape().length == 0 || d < 1) {
      throw NtkException.badInput(
          inputs + ": expected inputs of shape (n, d), got " + xa + "; save a 2-D array");
    }
    Dataset.requireFinite(inputs.toString(), xa.data(), d, "input");
    String name = "npy:" + inputs;
    if (labels != null) {
      NpyArray la = Npy.read(labels);
      if (la.data().length != n) {
        throw NtkException.badInput(
            labels + ": " + la.data().length + " labels for " + n + " input rows in " + inputs);
      }
      int[] l = new int[n];
      int classes = 0;
      for (int i = 0; i < n; i++) {
        double v = la.data()[i];
        if (!(v >= 0) || v != Math.rint(v) || v > 1e6) {
          throw NtkException.badInput(
              labels + ": label at row " + i + " is " + v + "; labels must be integers 0, 1, 2, …");
        }
        l[i] = (int) v;
        classes = Math.max(classes, l[i] + 1);
      }
      return Dataset.classification(name, d, xa.data(), l, classes);
    }
    if (targets != null) {
      NpyArray ta = Npy.read(targets);
      int tn = ta.shape().length == 0 ? 1 : ta.shape()[0];
      if (tn != n) {
        throw NtkException.badInput(
            targets + ": " + tn + " target rows for " + n + " input rows in " + inputs);
      }
      int k = ta.data().length / Math.max(n, 1);
      Dataset.requireFinite(targets.toString(), ta.data(), Math.max(k, 1), "target");
      return new Dataset(name, n, d, xa.data(), k, ta.data(), null, 0);
    }
    return new Dataset(name, n, d, xa.data(), 0, new double[0], null, 0);
  }
}
