package org.ntkengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ntkengine.io.Npy;
import org.ntkengine.io.NpyArray;

/**
 * The .npy reader on arbitrary bytes: it either returns an array whose shape matches its data or
 * throws an {@link NtkException} with a message; any other exception is a finding. Plain test runs
 * replay the seed corpus; {@code JAZZER_FUZZ=1} fuzzes for the given duration (see README).
 */
class NpyFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void parsesOrExplains(byte[] bytes) {
    try {
      NpyArray a = Npy.parse(bytes, "fuzz.npy");
      long count = 1;
      for (int d : a.shape()) {
        count *= d;
      }
      assertEquals(count, a.data().length, "shape and data disagree");
    } catch (NtkException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "error without a message");
    }
  }
}
