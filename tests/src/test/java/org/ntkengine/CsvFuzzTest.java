package org.ntkengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ntkengine.data.CsvData;
import org.ntkengine.data.Dataset;

/**
 * The CSV reader on arbitrary text and options: a data set of finite values whose arrays fit its
 * shape, or an {@link NtkException} with a message; anything else is a finding.
 */
class CsvFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void readsOrExplains(FuzzedDataProvider in) throws IOException {
    String label = in.consumeBoolean() ? in.consumeString(8) : null;
    Boolean header = in.consumeBoolean() ? in.consumeBoolean() : null;
    String text = in.consumeRemainingAsString();
    Path file = Files.createTempFile("fuzz", ".csv");
    try {
      Files.write(file, text.getBytes(StandardCharsets.UTF_8));
      Dataset d = CsvData.read(file, new CsvData.Options(label, null, header));
      assertEquals((long) d.size() * d.inputDim(), d.inputs().length, "inputs shape");
      for (double v : d.inputs()) {
        assertTrue(Double.isFinite(v), "a non-finite input got through");
      }
    } catch (NtkException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "error without a message");
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
