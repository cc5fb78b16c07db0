package org.ntkengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ntkengine.data.Idx;

/**
 * The IDX reader (gzipped or not) on arbitrary bytes: an array whose dimensions match its data, or
 * an {@link NtkException} with a message; anything else is a finding.
 */
class IdxFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void readsOrExplains(byte[] bytes) throws IOException {
    Path file = Files.createTempFile("fuzz", ".idx");
    try {
      Files.write(file, bytes);
      Idx.Array a = Idx.read(file);
      long count = 1;
      for (int d : a.dims()) {
        count *= d;
      }
      assertEquals(count, a.data().length, "dimensions and data disagree");
    } catch (NtkException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "error without a message");
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
