package org.ntkengine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.model.ModelSpec;

/**
 * The suite's bookkeeping without running JMH: grid expansion, the registered operations, flop
 * counts checked against sums worked out by hand for a small network, and the speed-up lines.
 */
class BenchSuiteTest {

  /** d = 2, m = 3 Fourier frequencies, width 4, one block, one output. */
  private static final ModelSpec SMALL =
      ModelSpec.builder(2).fourierFeatures(3).width(4).depth(1).outputs(1).build();

  @Test
  void expandsEveryCombinationInNameOrder() {
    List<Map<String, String>> out =
        BenchSuite.expand(Map.of("n", List.of("1", "2"), "form", List.of("a", "b", "c")));
    assertEquals(6, out.size());
    assertEquals(Map.of("form", "a", "n", "1"), out.get(0));
    assertEquals(Map.of("form", "a", "n", "2"), out.get(1));
    assertEquals(Map.of("form", "c", "n", "2"), out.get(5));
    assertEquals(List.of("form", "n"), List.copyOf(out.get(0).keySet()));
    assertEquals(List.of(Map.of()), BenchSuite.expand(Map.of()));
  }

  @Test
  void registersEveryOperationOnceWithGridsForBothModes() {
    Set<String> names = new HashSet<>();
    for (BenchOperation op : BenchSuite.all()) {
      assertTrue(names.add(op.name()), "duplicate operation " + op.name());
      for (boolean quick : new boolean[] {true, false}) {
        for (Map<String, String> params : BenchSuite.expand(op.grid(quick))) {
          assertTrue(op.sizeLabel(params).length() > 0, op.name());
        }
      }
    }
    assertEquals(
        Set.of(
            "gram",
            "gemm",
            "ntk-structured",
            "ntk-explicit",
            "ntk-matvec",
            "lanczos",
            "forward",
            "backward"),
        names);
    // The speed-up line needs both NTK methods at width 512 in a quick run, and 1024 in a full one.
    for (String op : List.of("ntk-structured", "ntk-explicit")) {
      BenchOperation o =
          BenchSuite.all().stream().filter(x -> x.name().equals(op)).findFirst().orElseThrow();
      assertTrue(o.grid(true).get("width").contains("512"));
      assertTrue(o.grid(false).get("width").containsAll(List.of("512", "1024")));
    }
  }

  @Test
  void gemmAndGramCountTwoFlopsPerMultiplyAdd() {
    GemmOperation gemm = new GemmOperation();
    assertEquals(2.0 * 3 * 5 * 7, gemm.flops(Map.of("m", "3", "n", "5", "k", "7")));
    assertEquals(2.0 * 9 * 9 * 4, new GramOperation().flops(Map.of("n", "9", "p", "4")));
  }

  @Test
  void forwardFlopsOfASmallNetwork() {
    // b = 5: Fourier 2·5·2·3 = 60; stem 2·5·6·4 = 240 plus bias 20; block U and V 2·(2·5·16) =
    // 320 plus bias 20; readout 2·5·4·1 = 40 plus bias 5. Total 705.
    assertEquals(705.0, BenchModels.forwardFlops(SMALL, 5));
  }

  @Test
  void backwardAndGradientFlopsOfASmallNetwork() {
    // Backward, b = 5: readout 2·5·1·4 = 40; block 2·(2·5·16) = 320 plus 2·5·4 = 40. Total 400.
    assertEquals(400.0, BenchModels.backwardFlops(SMALL, 5));
    // Weight gradients 2·b·fan_out·fan_in: stem 2·5·4·6 = 240, U and V 2·5·16 = 160 each,
    // readout 2·5·1·4 = 40; bias sums b·fan_out: stem 20, U 20, readout 5. Sum 645.
    // Residual, norm and scaling 5·5·1 = 25. Total 705 + 25 + 400 + 645 = 1775.
    assertEquals(1775.0, BenchModels.lossGradientFlops(SMALL, 5));
  }

  @Test
  void structuredAndExplicitNtkFlopsOfASmallNetwork() {
    int n = 3;
    // Factors: every term above is linear in b, so forward(3) = 705·3/5 = 423 and
    // backward(3) = 400·3/5 = 240; factors 663.
    assertEquals(663.0, BenchModels.factorFlops(SMALL, n));
    // Structured: per layer n(n+1)·fan_in + n(n+1)·fan_out + 2n² with n(n+1) = 12, 2n² = 18:
    // stem (6, 4) 138, U (4, 4) 114, V (4, 4) 114, readout (4, 1) 78. Sum 444, total 1107.
    assertEquals(1107.0, BenchModels.structuredFlops(SMALL, n));
    // Explicit: P = 24 + 4 (stem) + 16 + 4 (U) + 16 (V) + 4 + 1 (readout) = 69 parameters;
    // Gram 2·9·69 = 1242; Jacobian 2·n·(2·weights + biases) = 6·(2·60 + 9) = 774. Total 2679.
    assertEquals(2679.0, BenchModels.explicitFlops(SMALL, n));
  }

  @Test
  void matrixFreeOperatorFlopsOfASmallNetwork() {
    int n = 3;
    // Per vector: bias terms 4·n·fan_out: stem 48, U 48, readout 12 = 108. Factors:
    // stem 3·3·6 + 4·3·6·4 + 3·3·4·2 = 54 + 288 + 72 = 414; U and V 36 + 192 + 36 = 264 each;
    // readout 36 + 48 + 9 = 93. Sum 108 + 414 + 528 + 93 = 1143; two vectors 2286.
    assertEquals(2286.0, BenchModels.operatorFlops(SMALL, n, 2));
  }

  @Test
  void speedupsPairStructuredWithExplicitRowsOfTheSameBackendPrecisionAndSize() {
    List<BenchSuite.Row> rows =
        List.of(
            row(BenchSuite.STRUCTURED_NTK, "simd", "fp32", "width=512 n=31", 70),
            row(BenchSuite.EXPLICIT_NTK, "simd", "fp32", "width=512 n=31", 0.5),
            row(BenchSuite.STRUCTURED_NTK, "simd", "fp32", "width=1024 n=31", 20),
            row(BenchSuite.EXPLICIT_NTK, "simd", "fp32", "width=1024 n=31", 0.25),
            row(BenchSuite.EXPLICIT_NTK, "simd", "fp64", "width=512 n=31", 1),
            row(BenchSuite.STRUCTURED_NTK, "reference", "fp64", "width=512 n=31", 3),
            row("gram", "reference", "fp64", "width=512 n=31", 3));
    assertEquals(
        List.of(
            "structured vs explicit NTK (simd fp32): 140.0x at width=512 n=31, 80.0x at"
                + " width=1024 n=31"),
        BenchSuite.speedups(rows));
  }

  @Test
  void readsTheForkReportAndFallsBackWhenItIsMissing(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("r.report");
    assertTrue(BenchData.readReport(file, "relativeError").isEmpty());
    Files.writeString(file, "relativeError=2.5E-7\nflops=NaN\n", StandardCharsets.UTF_8);
    assertEquals(2.5e-7, BenchData.readReport(file, "relativeError").getAsDouble());
    assertTrue(BenchData.readReport(file, "flops").isEmpty());
  }

  private static BenchSuite.Row row(
      String op, String backend, String precision, String size, double opsPerSecond) {
    return new BenchSuite.Row(op, backend, precision, size, opsPerSecond, 0, 0, 0);
  }
}
