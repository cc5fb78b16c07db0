package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.io.Npy;
import org.ntkengine.io.NpyArray;

/** {@code ntk gram} end to end: results, the JSON report, and every bad-input path. */
class GramCommandTest {
  @TempDir Path dir;

  private Path matrix(String name, double[] data, int rows, int cols) {
    Path p = dir.resolve(name);
    Npy.write(p, data, rows, cols, false);
    return p;
  }

  @Test
  void computesTheGramMatrixAndReport() throws IOException {
    Path a = matrix("a.npy", new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Path out = dir.resolve("c.npy");
    Path json = dir.resolve("r.json");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "gram",
            a.toString(),
            "--precision",
            "fp64",
            "--out",
            out.toString(),
            "--repeat",
            "2",
            "--json",
            json.toString());
    assertEquals(0, r.exitCode(), r.err());
    NpyArray c = Npy.read(out);
    // [[1,2,3],[4,5,6]]·its transpose = [[14, 32], [32, 77]].
    assertArrayEquals(new double[] {14, 32, 32, 77}, c.data(), 0.0);
    JsonNode report = Json.MAPPER.readTree(json.toFile());
    assertEquals(2, report.get("rows").asInt());
    assertEquals(3, report.get("inner").asInt());
    assertEquals(2, report.get("repeats").asInt());
    assertEquals("fp64", report.get("precision").asText());
    assertTrue(report.get("seconds").asDouble() > 0);
    assertEquals(
        2.0 * 2 * 2 * 3 / report.get("seconds").asDouble(),
        report.get("gflops").asDouble() * 1e9,
        1e-6 * report.get("gflops").asDouble() * 1e9);
  }

  @Test
  void nanInDataNamesFileRowAndColumn() {
    double[] data = {1, 2, 3, 4, Double.NaN, 6};
    Path a = matrix("bad.npy", data, 2, 3);
    Path out = dir.resolve("never.npy");
    CliTestSupport.Result r = CliTestSupport.run("gram", a.toString(), "--out", out.toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("bad.npy") && r.err().contains("row 1, column 1"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void truncatedFileSaysHowManyBytes() throws IOException {
    Path a = matrix("t.npy", new double[12], 3, 4);
    byte[] bytes = Files.readAllBytes(a);
    Files.write(a, Arrays.copyOf(bytes, bytes.length - 5));
    CliTestSupport.Result r = CliTestSupport.run("gram", a.toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("96 bytes") && r.err().contains("truncated"), r.err());
  }

  @Test
  void mismatchedColumnsIsBadInput() {
    Path a = matrix("a.npy", new double[6], 2, 3);
    Path b = matrix("b.npy", new double[8], 2, 4);
    CliTestSupport.Result r = CliTestSupport.run("gram", a.toString(), b.toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("3 columns") && r.err().contains("4"), r.err());
  }

  @Test
  void unknownBackendAndPrecisionAreUsageErrors() {
    Path a = matrix("a.npy", new double[6], 2, 3);
    CliTestSupport.Result r = CliTestSupport.run("gram", a.toString(), "--backend", "quantum");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("unknown backend 'quantum'"), r.err());
    CliTestSupport.Result p = CliTestSupport.run("gram", a.toString(), "--precision", "fp8");
    assertEquals(2, p.exitCode());
    assertTrue(p.err().contains("fp32, fp64"), p.err());
  }

  @Test
  void unwritableOutputIsReportedAndNothingIsLeftBehind() throws IOException {
    Path a = matrix("a.npy", new double[6], 2, 3);
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    Path out = blocker.resolve("c.npy");
    CliTestSupport.Result r = CliTestSupport.run("gram", a.toString(), "--out", out.toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("cannot write") && r.err().contains("writable"), r.err());
  }

  @Test
  void missingFileAndUnknownOption() {
    CliTestSupport.Result r = CliTestSupport.run("gram", dir.resolve("none.npy").toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("no such file"), r.err());
    assertEquals(2, CliTestSupport.run("gram", "--frobnicate").exitCode());
    assertEquals(2, CliTestSupport.run("gram", "x.npy", "--repeat", "0").exitCode());
  }
}
