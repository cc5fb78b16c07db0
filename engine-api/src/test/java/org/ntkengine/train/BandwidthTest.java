package org.ntkengine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ntkengine.NtkException;

/** The median heuristic on hand-computed distances. */
class BandwidthTest {

  @Test
  void medianOfThreePairwiseDistances() {
    // Points 0, 1 and 3 on a line: distances 1, 3 and 2, median 2.
    double[] x = {0, 1, 3};
    assertEquals(2.0, Bandwidth.medianDistance(x, 3, 1), 0.0);
    Bandwidth.Choice c = Bandwidth.medianHeuristic(x, 3, 1);
    assertEquals(1 / (4 * Math.PI), c.sigma(), 1e-15);
    assertEquals(3, c.pairs());
  }

  @Test
  void evenCountAveragesTheMiddlePair() {
    // (0,0), (3,0), (0,4), (3,4): distances 3, 4, 5, 5, 4, 3 → median (4 + 4)/2.
    double[] x = {0, 0, 3, 0, 0, 4, 3, 4};
    assertEquals(4.0, Bandwidth.medianDistance(x, 4, 2), 0.0);
  }

  @Test
  void identicalInputsAreRejectedWithTheFix() {
    NtkException e =
        assertThrows(
            NtkException.class, () -> Bandwidth.medianHeuristic(new double[] {2, 2, 2}, 3, 1));
    assertEquals(true, e.getMessage().contains("--fourier-sigma"));
  }
}
