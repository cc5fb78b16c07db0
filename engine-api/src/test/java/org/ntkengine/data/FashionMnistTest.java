package org.ntkengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Fashion-MNIST reader on the installed data set. Skipped with a message when the files are
 * absent, unless {@code -Dntk.require} names {@code fashion-mnist} (as CI does), then it fails.
 */
class FashionMnistTest {
  private static final Path DIR = FashionMnist.DEFAULT_DIR;

  @BeforeAll
  static void requireData() {
    boolean present = FashionMnist.isInstalled(DIR);
    boolean required = System.getProperty("ntk.require", "").contains("fashion-mnist");
    if (required) {
      assertTrue(
          present,
          "Fashion-MNIST is required (-Dntk.require) but missing in "
              + DIR
              + ": apt-get install dataset-fashion-mnist");
    }
    Assumptions.assumeTrue(
        present,
        "Fashion-MNIST not installed in " + DIR + " (apt-get install dataset-fashion-mnist)");
  }

  @Test
  void readsEverySplitWithTheDocumentedSizes() {
    Dataset train = FashionMnist.readAll(DIR, FashionMnist.Split.TRAIN);
    Dataset test = FashionMnist.readAll(DIR, FashionMnist.Split.TEST);
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    assertEquals(28 * 28, train.inputDim());
    assertEquals(28 * 28, test.inputDim());
    int[] perClass = new int[10];
    java.util.Arrays.fill(perClass, 6000);
    assertArrayEquals(perClass, train.classCounts());
    java.util.Arrays.fill(perClass, 1000);
    assertArrayEquals(perClass, test.classCounts());
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : test.inputs()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0.0, min, 0.0, "pixels scaled to [0, 1]");
    assertEquals(1.0, max, 0.0, "pixels scaled to [0, 1]");
  }

  @Test
  void balancedSubsetsAreSeededAndStandardisedWithTrainingStatistics() {
    FashionMnist.Preprocessing prep = FashionMnist.Preprocessing.DEFAULT;
    Dataset a = FashionMnist.load(DIR, FashionMnist.Split.TRAIN, 1003, 7, prep);
    Dataset b = FashionMnist.load(DIR, FashionMnist.Split.TRAIN, 1003, 7, prep);
    Dataset c = FashionMnist.load(DIR, FashionMnist.Split.TRAIN, 1003, 8, prep);
    assertEquals(a, b, "same seed, same subset");
    assertTrue(!java.util.Arrays.equals(a.inputs(), c.inputs()), "another seed, another subset");
    int[] counts = a.classCounts();
    for (int k = 0; k < 10; k++) {
      assertEquals(k < 3 ? 101 : 100, counts[k], "class " + k);
    }
    // Standardising the whole training split with its own statistics gives zero means per pixel.
    Dataset all = FashionMnist.load(DIR, FashionMnist.Split.TRAIN, 0, 0, prep);
    double[] mean = new double[784];
    for (int i = 0; i < all.size(); i++) {
      for (int j = 0; j < 784; j++) {
        mean[j] += all.inputs()[i * 784 + j] / all.size();
      }
    }
    for (int j = 0; j < 784; j++) {
      assertEquals(0.0, mean[j], 1e-9, "pixel " + j);
    }
    Dataset unit =
        FashionMnist.load(
            DIR, FashionMnist.Split.TEST, 20, 1, new FashionMnist.Preprocessing(true, true));
    for (int i = 0; i < unit.size(); i++) {
      double s = 0;
      for (int j = 0; j < 784; j++) {
        s += unit.inputs()[i * 784 + j] * unit.inputs()[i * 784 + j];
      }
      assertEquals(1.0, s, 1e-12, "row " + i + " normalised");
    }
  }
}
