package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.io.Npy;
import org.ntkengine.io.NpyArray;

/** {@code ntk kernel} end to end on small synthetic sets. */
class KernelCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheKernelAndTheJsonReport() throws IOException {
    Path out = dir.resolve("K.npy");
    Path json = dir.resolve("k.json");
    int rc =
        Main.execute(
            "kernel",
            "--data",
            "synthetic:hf2d:9",
            "--data2",
            "synthetic:hf2d:4",
            "--width",
            "8",
            "--depth",
            "2",
            "--fourier-features",
            "5",
            "--precision",
            "fp64",
            "--backend",
            "reference",
            "--out",
            out.toString(),
            "--json",
            json.toString());
    assertEquals(0, rc);
    NpyArray k = Npy.read(out);
    assertArrayEquals(new int[] {9, 4}, k.shape());
    assertEquals("<f8", k.dtype());
    JsonNode report = Json.MAPPER.readTree(Files.readString(json));
    assertEquals(9, report.get("shape").get(0).asInt());
    assertEquals(4, report.get("shape").get(1).asInt());
    assertEquals("structured", report.get("method").asText());
    assertEquals("fp64", report.get("precision").asText());
    assertEquals("reference", report.get("backend").asText());
    assertTrue(report.get("seconds").asDouble() >= 0);
    assertTrue(report.get("model").asText().contains("m=5"), report.toString());
  }

  @Test
  void autoFourierSigmaComesFromTheMedianDistance() throws IOException {
    Path csv = Files.writeString(dir.resolve("line.csv"), "0\n1\n3\n");
    Path json = dir.resolve("k.json");
    assertEquals(
        0,
        Main.execute(
            "kernel",
            "--data",
            "csv:" + csv,
            "--width",
            "4",
            "--depth",
            "1",
            "--json",
            json.toString()));
    String model = Json.MAPPER.readTree(Files.readString(json)).get("model").asText();
    // The median of the distances 1, 3 and 2 is 2: σ_f = 1/(2π·2).
    double expected = 1 / (2 * Math.PI * 2.0);
    assertTrue(model.contains("sigma_f=" + expected), model + " expected σ_f " + expected);
    Path one = Files.writeString(dir.resolve("one.csv"), "5\n");
    assertEquals(2, Main.execute("kernel", "--data", "csv:" + one, "--width", "4"));
    assertEquals(
        0,
        Main.execute("kernel", "--data", "csv:" + one, "--width", "4", "--fourier-sigma", "0.5"));
  }

  @Test
  void explicitMethodAndPerOutputBlocksHaveTheirShapes() {
    Path out = dir.resolve("K.npy");
    assertEquals(
        0,
        Main.execute(
            "kernel",
            "--data",
            "synthetic:spirals:6",
            "--width",
            "6",
            "--depth",
            "1",
            "--outputs",
            "2",
            "--method",
            "explicit",
            "--per-output",
            "--out",
            out.toString()));
    assertArrayEquals(new int[] {2, 2, 6, 6}, Npy.read(out).shape());
  }

  @Test
  void badInputsGetTheirExitCodes() throws IOException {
    assertEquals(2, Main.execute("kernel", "--data", "synthetic:hf9d:10"));
    assertEquals(2, Main.execute("kernel", "--data", "synthetic:hf1d:10", "--width", "0"));
    assertEquals(2, Main.execute("kernel", "--data", "synthetic:hf1d:10", "--survival", "1.5"));
    Path csv = Files.writeString(dir.resolve("d.csv"), "1,2\n3\n");
    assertEquals(3, Main.execute("kernel", "--data", "csv:" + csv));
    assertEquals(3, Main.execute("kernel", "--data", "csv:" + dir.resolve("missing.csv")));
    assertEquals(
        3,
        Main.execute("kernel", "--data", "fashion-mnist:train:10", "--data-dir", dir.toString()));
  }
}
