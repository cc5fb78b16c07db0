package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.analytic.ConvergenceExperiment;

/** {@code ntk converge} end to end on a tiny problem. */
class ConvergeCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheReportAndThePlot() throws Exception {
    Path json = dir.resolve("c.json");
    int rc =
        Main.execute(
            "converge",
            "--data",
            "synthetic:hf2d:32",
            "--points",
            "5",
            "--widths",
            "16,32,64",
            "--seeds",
            "2",
            "--depth",
            "2",
            "--fourier-features",
            "6",
            "--survival",
            "0.8",
            "--backend",
            "reference",
            "--out",
            dir.toString(),
            "--json",
            json.toString());
    assertEquals(0, rc);
    assertTrue(Files.size(dir.resolve("converge.png")) > 1000, "plot written");
    JsonNode r = Json.MAPPER.readTree(Files.readString(json));
    assertEquals(3, r.get("widths").size());
    assertEquals(64, r.get("widths").get(2).asInt());
    int[] widths = new int[3];
    double[] ntk = new double[3];
    for (int i = 0; i < 3; i++) {
      widths[i] = r.get("widths").get(i).asInt();
      ntk[i] = r.get("ntk_rel_error").get(i).asDouble();
      assertTrue(ntk[i] > 0 && ntk[i] < 10, "NTK error " + ntk[i]);
      assertTrue(r.get("nngp_rel_error").get(i).asDouble() > 0, "NNGP error");
    }
    assertEquals(ConvergenceExperiment.fitSlope(widths, ntk), r.get("slope_ntk").asDouble(), 1e-12);
    assertTrue(Double.isFinite(r.get("slope_nngp").asDouble()));
  }

  @Test
  void rejectsASingleWidth() {
    int rc =
        Main.execute(
            "converge", "--data", "synthetic:hf2d:8", "--widths", "16", "--out", dir.toString());
    assertEquals(ExitCode.USAGE.code(), rc);
  }
}
