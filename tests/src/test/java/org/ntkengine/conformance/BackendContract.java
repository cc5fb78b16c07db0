package org.ntkengine.conformance;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/**
 * Base of every conformance contract: opens the backend under test once per class and offers seeded
 * data and tolerance helpers. Subclasses per backend only say which backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
  /** Sizes around lane and register-block edges, primes, 0 and 1. */
  protected static final int[] SIZES = {0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97};

  protected Backend backend;

  /**
   * Opens the backend under test.
   *
   * @return a new backend
   */
  protected abstract Backend openBackend();

  @BeforeAll
  void openIt() {
    backend = openBackend();
  }

  @AfterAll
  void closeIt() {
    if (backend != null) {
      backend.close();
    }
  }

  /** Seeded uniform values in [-1, 1), distinct per seed. */
  protected static double[] random(long seed, int count) {
    Random r = new Random(seed);
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = 2 * r.nextDouble() - 1;
    }
    return v;
  }

  /** Rounds every value to float, so FP32 runs compare against the data they actually saw. */
  protected static double[] roundedTo(Precision p, double[] v) {
    if (!p.isSingle()) {
      return v;
    }
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  /** Uploads host data into a new matrix of the backend under test. */
  protected Matrix upload(double[] data, int rows, int cols, Precision p) {
    Matrix m = backend.allocate(rows, cols, p);
    backend.upload(data, m);
    return m;
  }

  /** Downloads a matrix to the host. */
  protected double[] download(Matrix m) {
    double[] out = new double[(int) m.size()];
    backend.download(m, out);
    return out;
  }

  /**
   * Tolerance for a sum of {@code inner} products of values of magnitude about 1: a few units of
   * the precision's epsilon times the summed length (and never below one epsilon).
   */
  protected static double tolerance(Precision p, int inner) {
    double eps = p.isSingle() ? 0x1p-23 : 0x1p-52;
    return 8 * eps * Math.max(1, inner);
  }
}
