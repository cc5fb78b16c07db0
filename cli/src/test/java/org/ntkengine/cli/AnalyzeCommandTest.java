package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.data.FashionMnist;

/**
 * {@code ntk analyze} end to end on small configurations: the report's fields and ranges, the CSV
 * series and the plots as valid PNG files. The Fashion-MNIST case is skipped with a message when
 * the data set is absent, unless {@code -Dntk.require} names {@code fashion-mnist}, then it fails.
 */
class AnalyzeCommandTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  @Test
  void fashionMnistReportHasEveryFieldInRange() throws IOException {
    boolean present = FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR);
    if (System.getProperty("ntk.require", "").contains("fashion-mnist")) {
      assertTrue(
          present,
          "Fashion-MNIST is required (-Dntk.require) but missing in "
              + FashionMnist.DEFAULT_DIR
              + ": apt-get install dataset-fashion-mnist");
    }
    Assumptions.assumeTrue(
        present,
        "Fashion-MNIST not installed in "
            + FashionMnist.DEFAULT_DIR
            + " (apt-get install dataset-fashion-mnist)");
    Path out = dir.resolve("fm");
    Path json = dir.resolve("copy.json");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "analyze",
            "--data",
            "fashion-mnist:train:200",
            "--test",
            "fashion-mnist:test:100",
            "--width",
            "64",
            "--depth",
            "2",
            "--fourier-features",
            "32",
            "--steps",
            "12",
            "--every",
            "4",
            "--top",
            "4",
            "--stability-steps",
            "8",
            "--stability-subset",
            "64",
            "--out",
            out.toString(),
            "--json",
            json.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("kernel regression"), "the summary table: " + r.out());
    // Not a terminal here: progress comes as whole lines, never redrawn with carriage returns.
    assertTrue(r.err().contains("training 100%"), r.err());
    assertFalse(r.err().contains("\r"), "carriage returns in a redirected log: " + r.err());
    JsonNode rep = Json.MAPPER.readTree(Files.readString(out.resolve("report.json")));
    assertEquals(rep, Json.MAPPER.readTree(Files.readString(json)), "--json equals report.json");

    assertEquals(200, rep.at("/data/n_train").asInt());
    assertEquals(100, rep.at("/data/n_test").asInt());
    assertEquals("median heuristic", rep.at("/model/fourier_sigma/source").asText());
    assertTrue(rep.at("/model/fourier_sigma/value").asDouble() > 0);

    double analytic = rep.at("/kernel_regression/test_accuracy_analytic").asDouble();
    double empirical = rep.at("/kernel_regression/test_accuracy_empirical").asDouble();
    // Ten classes: chance is 0.1; a kernel fit on 200 images does far better.
    assertTrue(analytic > 0.4 && analytic <= 1, "analytic accuracy " + analytic);
    assertTrue(empirical > 0.3 && empirical <= 1, "empirical accuracy " + empirical);
    double relErr = rep.at("/init/empirical_vs_analytic_rel_error").asDouble();
    assertTrue(relErr > 0 && relErr < 1, "width 64 is within O(1/√64) of the limit: " + relErr);

    double[] top = doubles(rep.at("/spectrum/top"));
    double[] bottom = doubles(rep.at("/spectrum/bottom"));
    assertEquals(4, top.length);
    for (int i = 1; i < top.length; i++) {
      assertTrue(top[i] <= top[i - 1], "top eigenvalues descend: " + Arrays.toString(top));
    }
    assertTrue(bottom[0] > 0 && bottom[0] <= top[0]);
    assertEquals(
        top[0] / bottom[0],
        rep.at("/spectrum/condition_number").asDouble(),
        1e-9 * top[0] / bottom[0]);
    assertTrue(rep.at("/spectrum/lambda_max_bounds/within").asBoolean());
    assertEquals(
        2.0 * 200 / top[0], rep.at("/spectrum/max_stable_step_output_averaged").asDouble(), 1e-9);
    double coupling = rep.at("/training_setup/output_coupling").asDouble();
    assertTrue(coupling >= 1.0, "the per-output kernel's λ_max is at least the averaged one's");
    assertEquals(
        2.0 * 200 / (top[0] * coupling),
        rep.at("/training_setup/max_stable_step").asDouble(),
        1e-9 * rep.at("/training_setup/max_stable_step").asDouble());

    JsonNode training = rep.get("training");
    assertEquals(List.of(0, 4, 8, 12), steps(training));
    for (JsonNode e : training) {
      for (String f : List.of("train_loss", "test_loss", "drift", "linearized_gap")) {
        double v = e.get(f).asDouble();
        assertTrue(Double.isFinite(v) && v >= 0, f + " at step " + e.get("step") + ": " + v);
      }
      double acc = e.get("test_accuracy").asDouble();
      assertTrue(acc >= 0 && acc <= 1);
      assertEquals(4, e.get("top_eigenvalues").size());
    }
    assertEquals(0.0, training.get(0).get("drift").asDouble(), 1e-6, "Θ_0 against itself");
    assertTrue(
        training.get(3).get("train_loss").asDouble() < training.get(0).get("train_loss").asDouble(),
        "training lowers the loss");
    assertEquals(3, rep.at("/stability/runs").size());
    assertEquals("converges", rep.at("/stability/runs/0/observed").asText());

    List<String> lines = Files.readAllLines(out.resolve("training.csv"));
    assertEquals(5, lines.size(), "header and four checkpoints");
    assertTrue(lines.get(0).startsWith("step,train_loss,test_loss"));
    for (String png :
        List.of(
            "spectrum.png",
            "density.png",
            "eigenvalues.png",
            "drift.png",
            "loss.png",
            "modes.png")) {
      assertPng(out.resolve(png));
    }
  }

  @Test
  void compareOnTheSyntheticDefaultWritesTheTableAndBars() throws IOException {
    Path out = dir.resolve("cmp");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "analyze",
            "--data",
            "synthetic:spirals:48",
            "--width",
            "32",
            "--depth",
            "2",
            "--fourier-features",
            "16",
            "--steps",
            "4",
            "--every",
            "2",
            "--top",
            "3",
            "--stability-steps",
            "0",
            "--compare",
            "--quiet",
            "--out",
            out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.out(), "--quiet prints nothing on success");
    JsonNode rep = Json.MAPPER.readTree(Files.readString(out.resolve("report.json")));
    JsonNode cmp = rep.get("compare");
    assertEquals(3, cmp.size());
    assertEquals("plain MLP", cmp.get(0).get("name").asText());
    assertEquals("NTK-ECRN", cmp.get(2).get("name").asText());
    for (JsonNode row : cmp) {
      assertTrue(row.get("condition_number").asDouble() >= 1);
      assertTrue(row.get("max_stable_step").asDouble() > 0);
      assertTrue(Double.isFinite(row.get("final_train_loss").asDouble()));
    }
    assertTrue(rep.get("complete").asBoolean());
    assertPng(out.resolve("compare.png"));
  }

  @Test
  void aFileWithoutTestSetIsAUsageError() throws IOException {
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "x,y\n0,1\n1,2\n2,3\n");
    CliTestSupport.Result r =
        CliTestSupport.run("analyze", "--data", "csv:" + csv + ":target=y", "--quiet");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--test"), r.err());
  }

  private static void assertPng(Path p) throws IOException {
    assertTrue(Files.isRegularFile(p), p + " exists");
    byte[] head = Arrays.copyOf(Files.readAllBytes(p), PNG_SIGNATURE.length);
    assertArrayEquals(PNG_SIGNATURE, head, p + " starts with the PNG signature");
    assertNotNull(ImageIO.read(p.toFile()), p + " decodes");
  }

  private static double[] doubles(JsonNode array) {
    double[] a = new double[array.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = array.get(i).asDouble();
    }
    return a;
  }

  private static List<Integer> steps(JsonNode training) {
    List<Integer> s = new java.util.ArrayList<>();
    for (JsonNode e : training) {
      s.add(e.get("step").asInt());
    }
    return s;
  }
}
