package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.io.Npy;

/** {@code ntk spectrum} end to end on small kernels whose spectra are known by hand. */
class SpectrumCommandTest {
  @TempDir Path dir;

  private Path write(String name, double[] data, int rows, int cols) {
    Path p = dir.resolve(name);
    Npy.write(p, data, rows, cols, false);
    return p;
  }

  @Test
  void topAndBottomOfAKnownSpectrumWithJson() throws IOException {
    // The block [[2.5, 1.5], [1.5, 2.5]] has eigenvalues 4 and 1 (vectors (1, ±1)/√2).
    double[] k = {2.5, 1.5, 0, 0, 1.5, 2.5, 0, 0, 0, 0, 3, 0, 0, 0, 0, 2};
    Path kernel = write("k.npy", k, 4, 4);
    Path json = dir.resolve("out.json");
    int rc =
        Main.execute(
            "spectrum",
            "--kernel",
            kernel.toString(),
            "--top",
            "2",
            "--bottom",
            "1",
            "--backend",
            "reference",
            "--repeat",
            "2",
            "--json",
            json.toString());
    assertEquals(0, rc);
    JsonNode report = Json.MAPPER.readTree(json.toFile());
    assertEquals(4.0, report.get("eigenvalues").get(0).asDouble(), 1e-12);
    assertEquals(3.0, report.get("eigenvalues").get(1).asDouble(), 1e-12);
    assertTrue(report.get("converged").asBoolean());
    assertTrue(report.get("matvecs").asLong() > 0);
    assertTrue(report.has("seconds") && report.has("iterations") && report.has("residuals"));
    JsonNode bottom = report.get("bottom");
    assertEquals(1.0, bottom.get("eigenvalues").get(0).asDouble(), 1e-12);
    assertTrue(bottom.get("residuals").get(0).asDouble() <= 1e-10 * 4);
  }

  @Test
  void readsAKernelWrittenByAnotherCommand() throws IOException {
    // J·Jᵀ for J = [[1, 0], [0, 1], [1, 1], [1, −1], [2, 0]]: JᵀJ = diag(7, 3), so 7, 3, 0, 0, 0.
    Path j = write("j.npy", new double[] {1, 0, 0, 1, 1, 1, 1, -1, 2, 0}, 5, 2);
    Path kernel = dir.resolve("k.npy");
    assertEquals(
        0,
        Main.execute(
            "gram",
            j.toString(),
            "--precision",
            "fp64",
            "--backend",
            "reference",
            "--out",
            kernel.toString()));
    Path json = dir.resolve("s.json");
    assertEquals(
        0,
        Main.execute(
            "spectrum",
            "--kernel",
            kernel.toString(),
            "--top",
            "3",
            "--backend",
            "reference",
            "--json",
            json.toString()));
    JsonNode e = Json.MAPPER.readTree(json.toFile()).get("eigenvalues");
    assertEquals(7.0, e.get(0).asDouble(), 1e-12);
    assertEquals(3.0, e.get(1).asDouble(), 1e-12);
    assertTrue(Math.abs(e.get(2).asDouble()) < 1e-12);
  }

  @Test
  void badKernelsAndOptionsGiveTheirExitCodes() {
    Path square = write("sq.npy", new double[] {2, 0, 0, 1}, 2, 2);
    Path wide = write("wide.npy", new double[6], 2, 3);
    Path skew = write("skew.npy", new double[] {1, 2, 0, 1}, 2, 2);
    assertEquals(ExitCode.BAD_INPUT.code(), Main.execute("spectrum", "--kernel", wide.toString()));
    assertEquals(ExitCode.BAD_INPUT.code(), Main.execute("spectrum", "--kernel", skew.toString()));
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("spectrum", "--kernel", square.toString(), "--top", "3"));
    assertEquals(ExitCode.USAGE.code(), Main.execute("spectrum", "--data", "spirals"));
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("spectrum", "--kernel", square.toString(), "--data", "spirals"));
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("spectrum", "--kernel", square.toString(), "--precision", "fp16"));
  }

  @Test
  void dataSpectrumMatchesTheKernelFileAndTheMatrixFreeOperator() throws IOException {
    String[] model = {"--data", "synthetic:hf2d:40", "--width", "32", "--depth", "2"};
    Path kernel = dir.resolve("theta.npy");
    String[] kernelArgs = concat(new String[] {"kernel", "--precision", "fp64"}, model);
    assertEquals(0, Main.execute(concat(kernelArgs, "--out", kernel.toString())));
    double[][] tops = new double[3][];
    String[][] runs = {
      {"spectrum", "--kernel", kernel.toString()},
      concat(new String[] {"spectrum"}, model),
      concat(concat(new String[] {"spectrum"}, model), "--matrix-free")
    };
    for (int r = 0; r < 3; r++) {
      Path json = dir.resolve("s" + r + ".json");
      assertEquals(0, Main.execute(concat(runs[r], "--top", "3", "--json", json.toString())));
      JsonNode e = Json.MAPPER.readTree(json.toFile()).get("eigenvalues");
      tops[r] = new double[] {e.get(0).asDouble(), e.get(1).asDouble(), e.get(2).asDouble()};
    }
    for (int r = 1; r < 3; r++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(tops[0][i], tops[r][i], 1e-9 * tops[0][0], "run " + r + " eigenvalue " + i);
      }
    }
  }

  @Test
  void kernelAndDataTogetherOrTooManyEigenvaluesAreUsageErrors() {
    Path kernel = write("k2.npy", new double[] {2, 0, 0, 1}, 2, 2);
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("spectrum", "--kernel", kernel.toString(), "--data", "synthetic:hf1d:5"));
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("spectrum", "--data", "synthetic:hf1d:5", "--width", "8", "--top", "6"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
