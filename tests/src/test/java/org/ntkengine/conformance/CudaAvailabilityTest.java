package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Availability;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.BackendProvider;
import org.ntkengine.backend.Backends;
import org.ntkengine.cuda.CudaBackendProvider;

/**
 * The cuda probe as selection sees it, on any machine: a one-line answer, never a crash, and when
 * there is no usable GPU a resources error by name while {@code auto} moves on.
 */
class CudaAvailabilityTest {

  private static BackendProvider cuda() {
    return Backends.providers().stream()
        .filter(p -> p.name().equals("cuda"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("cuda is not registered with ServiceLoader"));
  }

  @Test
  void cudaIsRegisteredAboveTheHostBackends() {
    BackendProvider p = cuda();
    assertEquals(CudaBackendProvider.PRIORITY, p.priority());
    assertEquals("cuda", Backends.providers().get(0).name(), "cuda ranks first");
  }

  @Test
  void probeAnswersInOneLineAndNeverThrows() {
    Availability a = cuda().availability();
    assertFalse(a.reason().isBlank(), "a reason is given");
    assertFalse(a.reason().contains("\n"), "one line: " + a.reason());
    cuda().details();
    if (CudaTestSupport.required() && !a.available()) {
      fail("-Dntk.require=cuda but cuda is unavailable: " + a.reason());
    }
  }

  @Test
  void unavailableCudaIsAResourcesErrorByNameAndAutoMovesOn() {
    Availability a = cuda().availability();
    if (a.available()) {
      try (Backend b = Backends.open("cuda")) {
        assertEquals("cuda", b.name());
      }
      return;
    }
    NtkException e = assertThrows(NtkException.class, () -> Backends.open("cuda"));
    assertEquals(ExitCode.RESOURCES, e.exitCode());
    assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
    try (Backend b = Backends.open("auto")) {
      assertNotEquals("cuda", b.name(), "auto must skip an unavailable cuda");
    }
  }
}
