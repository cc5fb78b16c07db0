package org.ntkengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;

/** The CSV reader: headers, label columns, and the errors users meet. */
class CsvDataTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("d.csv"), text);
  }

  private NtkException fails(Path p, CsvData.Options o) {
    NtkException e = assertThrows(NtkException.class, () -> CsvData.read(p, o));
    assertTrue(e.exitCode() == ExitCode.BAD_INPUT || e.exitCode() == ExitCode.USAGE);
    return e;
  }

  @Test
  void headerDetectedAndLabelByName() throws IOException {
    Path p = write("a, b, kind\n1, 2, cat\n3, 4, dog\n5, 6, cat\n");
    Dataset d = CsvData.read(p, new CsvData.Options("kind", null, null));
    assertEquals(3, d.size());
    assertEquals(2, d.inputDim());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.inputs());
    assertArrayEquals(new int[] {0, 1, 0}, d.labels(), "cat < dog");
    assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0}, d.targets());
  }

  @Test
  void noHeaderLabelByIndexAndNumericLabelsSortedNumerically() throws IOException {
    Path p = write("10, 0.5, 1\n2, 1.5, 2\n9, 2.5, 1\n");
    Dataset d = CsvData.read(p, new CsvData.Options("0", null, null));
    assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5, 1}, d.inputs());
    assertArrayEquals(new int[] {2, 0, 1}, d.labels(), "2 < 9 < 10 numerically");
    Dataset all = CsvData.read(p, CsvData.Options.DEFAULT);
    assertEquals(3, all.inputDim());
    assertEquals(0, all.outputs());
    assertNull(all.labels());
    Dataset reg = CsvData.read(p, new CsvData.Options(null, "2", null));
    assertArrayEquals(new double[] {1, 2, 1}, reg.targets());
  }

  @Test
  void raggedLineIsNamed() throws IOException {
    Path p = write("1,2,3\n4,5\n");
    NtkException e = fails(p, CsvData.Options.DEFAULT);
    assertTrue(e.getMessage().contains("line 2 has 2 fields, expected 3"), e.getMessage());
  }

  @Test
  void nonNumericFieldIsNamed() throws IOException {
    Path p = write("x,y\n1,2\n3,abc\n");
    NtkException e = fails(p, CsvData.Options.DEFAULT);
    assertTrue(e.getMessage().contains("line 3, column 1 (y)"), e.getMessage());
    assertTrue(e.getMessage().contains("'abc' is not a number"), e.getMessage());
  }

  @Test
  void nonFiniteValueIsNamed() throws IOException {
    Path p = write("1,2\nNaN,4\n");
    NtkException e = fails(p, CsvData.Options.DEFAULT);
    assertTrue(e.getMessage().contains("line 2, column 0"), e.getMessage());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    Path q = write("1,2\n3,Infinity\n");
    assertTrue(fails(q, CsvData.Options.DEFAULT).getMessage().contains("column 1"));
  }

  @Test
  void missingLabelColumnListsTheHeader() throws IOException {
    Path p = write("a,b\n1,2\n");
    NtkException e = fails(p, new CsvData.Options("class", null, null));
    assertTrue(e.getMessage().contains("no label column named 'class'"), e.getMessage());
    assertTrue(e.getMessage().contains("[a, b]"), e.getMessage());
    NtkException e2 = fails(p, new CsvData.Options("7", null, null));
    assertTrue(e2.getMessage().contains("columns 0..1"), e2.getMessage());
  }
}
