package org.ntkengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;
import org.ntkengine.io.Npy;

/** The data-spec syntax, the synthetic sets and the .npy reader. */
class DataSpecTest {
  @TempDir Path dir;

  @Test
  void parsesEveryDocumentedForm() {
    DataSpec f = DataSpec.parse("fashion-mnist:train:2000");
    assertEquals(DataSpec.Kind.FASHION_MNIST, f.kind());
    assertEquals("train", f.part());
    assertEquals(2000, f.count());
    assertEquals(0, DataSpec.parse("fashion-mnist:test").count());
    DataSpec s = DataSpec.parse("synthetic:hf2d:256");
    assertEquals(DataSpec.Kind.SYNTHETIC, s.kind());
    assertEquals("hf2d", s.part());
    assertEquals(256, s.count());
    DataSpec c = DataSpec.parse("csv:/tmp/a:b.csv:label=kind:header=yes");
    assertEquals(DataSpec.Kind.CSV, c.kind());
    assertEquals("/tmp/a:b.csv", c.part());
    assertEquals(Map.of("label", "kind", "header", "yes"), c.options());
    DataSpec n = DataSpec.parse("npy:x.npy:labels=y.npy");
    assertEquals("x.npy", n.part());
    assertEquals(Map.of("labels", "y.npy"), n.options());
  }

  @Test
  void rejectsBadSpecsWithTheAcceptedForms() {
    for (String bad :
        new String[] {
          "",
          "mnist:train",
          "fashion-mnist:valid:10",
          "synthetic:hf3d:10",
          "synthetic:hf1d:-4",
          "synthetic:hf1d",
          "fashion-mnist:train:many",
          "csv:"
        }) {
      NtkException e = assertThrows(NtkException.class, () -> DataSpec.parse(bad), bad);
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("Forms:") || e.getMessage().contains("split"), bad);
    }
  }

  @Test
  void syntheticSetsAreSeededAndFollowTheirFormulas() {
    Dataset a = DataSpec.parse("synthetic:hf1d:50").load(null, 3, null);
    assertEquals(a, Synthetic.hf1d(50, 3));
    assertTrue(!a.equals(Synthetic.hf1d(50, 4)));
    for (int i = 0; i < a.size(); i++) {
      double x = a.inputs()[i];
      double y =
          Math.sin(2 * Math.PI * x)
              + 0.5 * Math.sin(2 * Math.PI * 5 * x + 0.7)
              + 0.35 * Math.sin(2 * Math.PI * 13 * x + 1.9)
              + 0.25 * Math.sin(2 * Math.PI * 29 * x + 0.4);
      assertEquals(y, a.targets()[i], 1e-12);
      assertTrue(x >= 0 && x < 1);
    }
    Dataset h = Synthetic.hf2d(20, 1);
    assertEquals(2, h.inputDim());
    assertEquals(
        Math.sin(Math.PI * 2 * (h.inputs()[0] + 2 * h.inputs()[1]))
            + 0.6 * Math.sin(2 * Math.PI * (6 * h.inputs()[0] - 4 * h.inputs()[1]) + 0.5)
            + 0.4 * Math.sin(2 * Math.PI * (12 * h.inputs()[0] + 9 * h.inputs()[1]) + 1.3)
            + 0.3 * Math.sin(2 * Math.PI * (-17 * h.inputs()[0] + 21 * h.inputs()[1]) + 2.1),
        h.targets()[0],
        1e-12);
    Dataset sp = Synthetic.spirals(101, 2);
    assertArrayEquals(new int[] {51, 50}, sp.classCounts());
    Dataset t = Synthetic.teacher(30, 5);
    assertEquals(Synthetic.TEACHER_INPUTS, t.inputDim());
    assertEquals(t, Synthetic.teacher(30, 5));
  }

  @Test
  void npyInputsWithLabelsAndNonFiniteValues() {
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.npy");
    Npy.write(x, new double[] {1, 2, 3, 4, 5, 6}, 3, 2, false);
    Npy.write(y, new double[] {2, 0, 2}, new int[] {3}, false);
    Dataset d = DataSpec.parse("npy:" + x + ":labels=" + y).load(null, 0, null);
    assertEquals(3, d.size());
    assertEquals(2, d.inputDim());
    assertEquals(3, d.classes());
    assertArrayEquals(new int[] {2, 0, 2}, d.labels());
    Npy.write(x, new double[] {1, 2, 3, Double.POSITIVE_INFINITY, 5, 6}, 3, 2, false);
    NtkException e = assertThrows(NtkException.class, () -> NpyData.read(x, null, null));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("row 1, column 1"), e.getMessage());
    assertTrue(e.getMessage().contains("x.npy"), e.getMessage());
    Npy.write(y, new double[] {0.5, 0, 1}, new int[] {3}, false);
    Npy.write(x, new double[] {1, 2, 3, 4, 5, 6}, 3, 2, false);
    assertThrows(NtkException.class, () -> NpyData.read(x, y, null));
  }
}
