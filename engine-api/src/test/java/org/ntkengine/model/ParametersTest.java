package org.ntkengine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;

/** Seeded initialisation and the parameter file format. */
class ParametersTest {
  @TempDir Path dir;

  private static final ModelSpec SPEC =
      ModelSpec.builder(3).fourierFeatures(4).width(7).depth(2).outputs(2).survival(0.7).build();

  @Test
  void sameSeedSameValuesAndTensorsIndependentOfOtherShapes() {
    Parameters a = Parameters.initialize(SPEC, 5);
    Parameters b = Parameters.initialize(SPEC, 5);
    Parameters c = Parameters.initialize(SPEC, 6);
    for (ParameterTensor t : Parameters.layout(SPEC)) {
      assertArrayEquals(a.get(t.name()), b.get(t.name()), t.name());
      assertTrue(!Arrays.equals(a.get(t.name()), c.get(t.name())), t.name());
    }
    // A wider readout draws the same first values for the stem: streams are per tensor.
    Parameters wide = Parameters.initialize(SPEC.toBuilder().outputs(5).build(), 5);
    assertArrayEquals(a.get("stem.cos.weight"), wide.get("stem.cos.weight"));
    assertArrayEquals(a.get("readout.weight"), Arrays.copyOf(wide.get("readout.weight"), 2 * 7));
  }

  @Test
  void fourierFrequenciesAreSigmaTimesTheStoredNormals() {
    ModelSpec spec = SPEC.toBuilder().fourierSigma(2.5).build();
    Parameters p = Parameters.initialize(spec, 5);
    double[] z = p.get("fourier");
    double[] b = p.fourierFrequencies();
    assertEquals(4 * 3, b.length);
    for (int i = 0; i < b.length; i++) {
      assertEquals(2.5 * z[i], b[i], 0.0);
    }
    ModelSpec plain = SPEC.toBuilder().fourierFeatures(0).build();
    assertEquals(0, Parameters.initialize(plain, 5).fourierFrequencies().length);
  }

  @Test
  void entriesAreStandardNormal() {
    ModelSpec big = ModelSpec.builder(2).fourierFeatures(0).width(300).depth(1).build();
    double[] w = Parameters.initialize(big, 1).get("block1.u.weight");
    double mean = Arrays.stream(w).average().orElseThrow();
    double var = Arrays.stream(w).map(x -> (x - mean) * (x - mean)).sum() / (w.length - 1);
    // 90 000 draws: the standard errors are 0.0033 (mean) and 0.0047 (variance).
    assertEquals(0.0, mean, 0.02);
    assertEquals(1.0, var, 0.03);
  }

  @Test
  void layoutCountsTrainableParameters() {
    long expected = 7 * 4 * 2 + 7 + 2 * (7 * 7 + 7 + 7 * 7) + 2 * 7 + 2;
    assertEquals(expected, Parameters.trainableCount(SPEC));
    ModelSpec trained = SPEC.toBuilder().trainableFourier(true).build();
    assertEquals(expected + 4 * 3, Parameters.trainableCount(trained));
  }

  @Test
  void saveAndLoadRoundTrip() {
    Parameters a = Parameters.initialize(SPEC, 9);
    Path f = dir.resolve("p.ntkp");
    a.save(f);
    Parameters b = Parameters.load(f);
    assertEquals(SPEC, b.spec());
    for (ParameterTensor t : Parameters.layout(SPEC)) {
      assertArrayEquals(a.get(t.name()), b.get(t.name()), t.name());
    }
  }

  @Test
  void truncatedCorruptAndForeignFilesAreRejected() throws IOException {
    Path f = dir.resolve("p.ntkp");
    Parameters.initialize(SPEC, 9).save(f);
    byte[] bytes = Files.readAllBytes(f);

    Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(bytes, bytes.length / 2));
    NtkException e = assertThrows(NtkException.class, () -> Parameters.load(cut));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("checksum"));

    byte[] flipped = bytes.clone();
    flipped[bytes.length - 100] ^= 1;
    Path bad = Files.write(dir.resolve("bad"), flipped);
    NtkException e2 = assertThrows(NtkException.class, () -> Parameters.load(bad));
    assertTrue(e2.getMessage().contains("checksum"), e2.getMessage());

    Path foreign = Files.writeString(dir.resolve("foreign"), "hello, this is not it");
    NtkException e3 = assertThrows(NtkException.class, () -> Parameters.load(foreign));
    assertTrue(e3.getMessage().contains("NTKPARAM"), e3.getMessage());
  }
}
