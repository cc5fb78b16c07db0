package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.analytic.ConvergenceExperiment;

class PlotsTest {
  @Test
  void convergencePlotIsAReadablePng(@TempDir Path dir) throws Exception {
    ConvergenceExperiment.Result r =
        new ConvergenceExperiment.Result(
            new int[] {64, 256, 1024},
            3,
            new double[] {0.2, 0.1, 0.05},
            new double[] {0.02, 0.01, 0.06},
            new double[] {0.1, 0.05, 0.025},
            new double[] {0.0, 0.0, 0.0},
            -0.5,
            -0.5);
    Path png = dir.resolve("sub").resolve("converge.png");
    Plots.convergence(r, png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(Plots.WIDTH, img.getWidth());
    assertEquals(Plots.HEIGHT, img.getHeight());
    // Not a blank canvas: some pixels differ from the white background.
    int coloured = 0;
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        coloured += (img.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
      }
    }
    assertTrue(coloured > 500, "only " + coloured + " non-white samples");
  }
}
