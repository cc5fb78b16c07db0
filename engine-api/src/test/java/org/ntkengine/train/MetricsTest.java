package org.ntkengine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Loss and accuracy on hand-computed cases. */
class MetricsTest {

  @Test
  void lossIsHalfTheMeanSquaredRowError() {
    // Rows (1, 2) vs (0, 0) and (0, 1) vs (0, 0): squared norms 5 and 1, (5 + 1)/(2·2) = 1.5.
    assertEquals(1.5, Metrics.loss(new double[] {1, 2, 0, 1}, new double[4], 2), 0.0);
  }

  @Test
  void accuracyTakesTheArgmaxOfEachRow() {
    double[] f = {0.1, 0.9, 0.7, 0.2, 0.3, 0.4};
    assertEquals(2.0 / 3, Metrics.accuracy(f, new int[] {1, 0, 0}, 2), 1e-15);
    assertTrue(Double.isNaN(Metrics.accuracy(f, null, 2)));
  }
}
