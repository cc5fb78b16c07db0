package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;

/** {@code ntk bench} end to end on the smallest suite: JMH forks, table, JSON, quiet output. */
class BenchCommandTest {

  @Test
  void quickGramOnTheReferenceBackendPrintsRowsWithAccuracy(@TempDir Path dir) throws IOException {
    // This checks the table, not the figures: another benchmark on the machine must not fail it.
    System.setProperty("jmh.ignoreLock", "true");
    Path json = dir.resolve("bench.json");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "bench",
            "--op",
            "gram",
            "--quick",
            "--backend",
            "reference",
            "--precision",
            "fp64",
            "--json",
            json.toString());
    assertEquals(0, r.exitCode(), r.err());

    List<String[]> rows = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (line.startsWith("gram ")) {
        rows.add(line.trim().split("\\s+"));
      }
    }
    assertEquals(2, rows.size(), r.out());
    // One product of 511×512 by its transpose is 2·511²·512 = 267 386 880 flops.
    double flopsPerOp = 2.0 * 511 * 511 * 512;
    for (String[] row : rows) {
      assertEquals("reference", row[1]);
      assertEquals("fp64", row[2]);
      double opsPerSecond = Double.parseDouble(row[row.length - 3]);
      double gflops = Double.parseDouble(row[row.length - 2]);
      assertTrue(opsPerSecond > 0, String.join(" ", row));
      assertEquals(opsPerSecond * flopsPerOp / 1e9, gflops, 0.006 + 0.001 * gflops);
      // The reference backend checked against itself in float64: the same sums, the same bits.
      assertEquals(0.0, Double.parseDouble(row[row.length - 1]));
    }

    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertTrue(root.get("quick").asBoolean());
    assertEquals(2, root.get("rows").size());
    for (JsonNode row : root.get("rows")) {
      assertEquals("gram", row.get("operation").asText());
      assertEquals(0.0, row.get("relative_error").asDouble());
    }

    // The forks' start-up warning and the engine's INFO lines stay off the terminal.
    String all = r.out() + r.err();
    assertFalse(all.contains("Using incubator modules"), all);
    assertFalse(all.contains("sun.misc.Unsafe"), all);
    assertFalse(all.contains("INFO"), all);
  }

  @Test
  void theNoiseFilterDropsOnlyTheForksStartUpWarnings() {
    assertTrue(NoiseFilter.isNoise("WARNING: Using incubator modules: jdk.incubator.vector\n"));
    assertTrue(
        NoiseFilter.isNoise(
            "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called\n"));
    assertTrue(
        NoiseFilter.isNoise(
            "WARNING: Please consider reporting this to the maintainers of class"
                + " org.openjdk.jmh.util.Utils\n"));
    assertFalse(NoiseFilter.isNoise("WARNING: Forked process returned code: 1\n"));
    assertFalse(NoiseFilter.isNoise("ntk bench fork: WARNING: backend simd: no AVX\n"));
    assertFalse(NoiseFilter.isNoise("gram reference fp64 ...\n"));
  }

  @Test
  void anUnknownOperationIsAUsageErrorNamingTheChoices() {
    CliTestSupport.Result r = CliTestSupport.run("bench", "--op", "nope", "--quick");
    assertEquals(ExitCode.USAGE.code(), r.exitCode());
    assertTrue(r.err().contains("ntk-structured"), r.err());
  }
}
