package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.analytic.AnalyticKernel;
import org.ntkengine.analytic.AnalyticNetwork;
import org.ntkengine.data.DataSpec;
import org.ntkengine.data.Dataset;
import org.ntkengine.io.Npy;
import org.ntkengine.io.NpyArray;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Parameters;

/** {@code ntk kernel --mode analytic} against the analytic API on the same data and frequencies. */
class AnalyticKernelModeTest {
  @TempDir Path dir;

  private static Dataset load(String spec, long seed) {
    return DataSpec.parse(spec).load(null, seed, null);
  }

  @Test
  void writesTheKernelOfTheSeedsFrequencies() throws Exception {
    Path out = dir.resolve("K.npy");
    Path json = dir.resolve("k.json");
    int rc =
        Main.execute(
            "kernel",
            "--mode",
            "analytic",
            "--kind",
            "nngp",
            "--data",
            "synthetic:hf2d:7",
            "--data2",
            "synthetic:hf2d:3",
            "--depth",
            "2",
            "--fourier-features",
            "9",
            "--fourier-sigma",
            "1",
            "--seed",
            "5",
            "--survival",
            "0.7",
            "--out",
            out.toString(),
            "--json",
            json.toString());
    assertEquals(0, rc);
    NpyArray k = Npy.read(out);
    assertArrayEquals(new int[] {7, 3}, k.shape());
    Dataset a = load("synthetic:hf2d:7", 0);
    Dataset b = load("synthetic:hf2d:3", 1);
    ModelSpec spec = ModelSpec.builder(2).depth(2).fourierFeatures(9).survival(0.7).build();
    // B = σ_f·Z with σ_f = 1: the stored tensor itself, independently of fourierFrequencies().
    double[] freq = Parameters.initialize(spec, 5).get("fourier");
    AnalyticKernel ref =
        AnalyticNetwork.forSpec(spec, freq).kernel(a.inputs(), 7, b.inputs(), 3, 2);
    double[] got = k.data();
    for (int i = 0; i < 21; i++) {
      assertEquals(ref.nngp()[i], got[i], 1e-15 * Math.abs(ref.nngp()[0]), "entry " + i);
    }
    JsonNode r = Json.MAPPER.readTree(Files.readString(json));
    assertEquals("analytic", r.get("method").asText());
    assertEquals("nngp", r.get("kind").asText());
    assertEquals("exact", r.get("fourier").asText());
  }

  @Test
  void nngpNeedsTheAnalyticMode() {
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("kernel", "--kind", "nngp", "--data", "synthetic:hf2d:4", "--width", "8"));
    assertEquals(
        ExitCode.USAGE.code(),
        Main.execute("kernel", "--mode", "exact", "--data", "synthetic:hf2d:4"));
  }
}
