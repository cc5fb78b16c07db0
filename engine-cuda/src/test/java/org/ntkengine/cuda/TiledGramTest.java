package org.ntkengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;

/**
 * Tiled Gram assembly on the reference backend (the tiling logic is backend-independent): the
 * blocks, mirrored, must equal α·J·Jᵀ computed directly in float64.
 */
class TiledGramTest {

  @Test
  void tilesReassembleTheFullGram() {
    int n = 37;
    int p = 23;
    long seed = 20261204L;
    Random r = new Random(seed);
    double[] j = new double[n * p];
    for (int i = 0; i < j.length; i++) {
      j[i] = 2 * r.nextDouble() - 1;
    }
    double[] theta = new double[n * n];
    int[] hits = new int[n * n];
    TilePlanner.Plan plan;
    try (Backend backend = new ReferenceBackend()) {
      // 1600 bytes of FP64 forces blocks of both rows and columns of J.
      plan =
          TiledGram.compute(
              backend,
              Precision.FP64,
              n,
              p,
              0.5,
              (row, rows, col, cols, out) -> {
                for (int a = 0; a < rows; a++) {
                  System.arraycopy(j, (row + a) * p + col, out, a * cols, cols);
                }
              },
              (tile, values) -> {
                for (int a = 0; a < tile.rows(); a++) {
                  for (int c = 0; c < tile.cols(); c++) {
                    int i = tile.rowStart() + a;
                    int k = tile.colStart() + c;
                    theta[i * n + k] = values[a * tile.cols() + c];
                    hits[i * n + k]++;
                  }
                }
              },
              1600);
    }
    assertTrue(plan.tiles().size() > 1 && plan.innerSteps() > 1, plan.describe());
    for (int i = 0; i < n; i++) {
      for (int k = 0; k <= i; k++) {
        double expected = 0;
        for (int c = 0; c < p; c++) {
          expected += j[i * p + c] * j[k * p + c];
        }
        expected *= 0.5;
        assertEquals(1, hits[i * n + k], "element (" + i + ", " + k + ") delivered once");
        assertEquals(expected, theta[i * n + k], 1e-13, "Θ(" + i + ", " + k + ") seed " + seed);
      }
    }
  }
}
