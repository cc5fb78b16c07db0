package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;

/** Backend selection: what auto picks in this JVM, and failures for bad names. */
class AutoSelectionTest {

  @Test
  void autoPicksTheExpectedBackend() {
    // .ci/run sets ntk.expect.auto for each run: simd with the vector module, reference without.
    String expected = System.getProperty("ntk.expect.auto", "");
    try (Backend b = Backends.open("auto")) {
      if (!expected.isEmpty()) {
        assertEquals(expected, b.name(), "backend chosen by auto");
      } else {
        assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals(b.name())));
      }
    }
  }

  @Test
  void unknownBackendIsAUsageErrorListingTheBackends() {
    NtkException e = assertThrows(NtkException.class, () -> Backends.open("nonesuch"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("reference (available)"), e.getMessage());
  }

  @Test
  void referenceCanBeForcedByName() {
    try (Backend b = Backends.open("reference")) {
      assertEquals("reference", b.name());
    }
  }
}
