package org.ntkengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;

/** The tiling planner: sizes, budget, exact coverage of the lower triangle, no overlap. */
class TilePlannerTest {

  @ParameterizedTest
  @CsvSource({
    // n, p, element bytes, budget bytes
    "1, 1, 4, 12",
    "37, 23, 8, 1600",
    "100, 7, 4, 400",
    "257, 1000, 4, 100000",
    "64, 64, 8, 1000000",
    "300, 5, 8, 2000",
    "1000, 3000, 4, 4000000",
    "1, 0, 8, 24",
    "0, 5, 4, 100"
  })
  void planFitsTheBudgetAndCoversTheLowerTriangleExactlyOnce(int n, int p, int bytes, long budget) {
    TilePlanner.Plan plan = TilePlanner.plan(n, p, bytes, budget);
    int b = plan.rowTile();
    int q = plan.innerTile();

    // Budget: the plan's own figure, and the same figure recomputed from the tile sizes.
    long step = (2L * b * q + (long) b * b) * bytes;
    assertEquals(step, plan.bytesPerStep(), "bytes per step");
    assertTrue(step <= budget, "step of " + step + " bytes exceeds the budget " + budget);

    // Inner chunks cover [0, p) and no more than one chunk too many.
    assertTrue((long) plan.innerSteps() * q >= p, "inner steps cover p");
    assertTrue(p == 0 || (long) (plan.innerSteps() - 1) * q < p, "no empty inner step");

    // Every element of Θ on or below the diagonal lies in exactly one tile; tiles never overlap.
    int[][] hits = new int[n][n];
    for (TilePlanner.Tile t : plan.tiles()) {
      assertTrue(t.colStart() <= t.rowStart(), "tile above the diagonal: " + t);
      assertTrue(t.rows() >= 1 && t.rows() <= b && t.cols() >= 1 && t.cols() <= b, "size " + t);
      assertTrue(t.rowStart() % b == 0 && t.colStart() % b == 0, "tile off the grid " + t);
      for (int i = t.rowStart(); i < t.rowStart() + t.rows(); i++) {
        for (int j = t.colStart(); j < t.colStart() + t.cols(); j++) {
          hits[i][j]++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(1, hits[i][j], "element (" + i + ", " + j + ") covered");
      }
      for (int j = i + 1; j < n; j++) {
        assertTrue(hits[i][j] <= 1, "element (" + i + ", " + j + ") covered twice");
      }
    }
  }

  @Test
  void everythingFitsInOneTileWhenTheBudgetAllows() {
    // (2·100·50 + 100²)·8 = 160000 bytes.
    TilePlanner.Plan plan = TilePlanner.plan(100, 50, 8, 160_000);
    assertEquals(100, plan.rowTile());
    assertEquals(50, plan.innerTile());
    assertEquals(1, plan.tiles().size());
    assertEquals(1, plan.innerSteps());
  }

  @Test
  void oneByteShortSplitsTheRows() {
    TilePlanner.Plan plan = TilePlanner.plan(100, 50, 8, 159_999);
    assertTrue(plan.rowTile() < 100 || plan.innerTile() < 50, plan.describe());
    assertTrue(plan.bytesPerStep() <= 159_999);
  }

  @Test
  void thetaLargerThanAnH200IsPlannedWithLargeBlocks() {
    // Θ of 200000² FP32 is 160 GB; J 200000x1e6 is 800 GB; budget 120 GB.
    long budget = 120L << 30;
    TilePlanner.Plan plan = TilePlanner.plan(200_000, 1_000_000, 4, budget);
    assertTrue(plan.bytesPerStep() <= budget);
    assertTrue(plan.rowTile() >= TilePlanner.PREFERRED_MIN_ROWS, plan.describe());
    long maxArray = Integer.MAX_VALUE - 8;
    assertTrue((long) plan.rowTile() * plan.innerTile() <= maxArray, "J block fits an array");
    assertTrue((long) plan.rowTile() * plan.rowTile() <= maxArray, "Θ block fits an array");
    int blocks = (200_000 + plan.rowTile() - 1) / plan.rowTile();
    assertEquals((long) blocks * (blocks + 1) / 2, plan.tiles().size(), "lower-triangle blocks");
    long covered = 0;
    for (TilePlanner.Tile t : plan.tiles()) {
      covered += t.diagonal() ? (long) t.rows() * (t.rows() + 1) / 2 : (long) t.rows() * t.cols();
    }
    assertEquals(200_000L * 200_001 / 2, covered, "elements on and below the diagonal");
  }

  @Test
  void aBudgetBelowOneElementIsAResourcesError() {
    NtkException e = assertThrows(NtkException.class, () -> TilePlanner.plan(10, 10, 8, 23));
    assertEquals(ExitCode.RESOURCES, e.exitCode());
    assertTrue(e.getMessage().contains("23 bytes"), e.getMessage());
  }
}
