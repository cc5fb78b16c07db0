package org.ntkengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Availability;

/** Probe arithmetic and the probe's promise: an answer in one line, never an exception. */
class CudaProbeTest {

  @Test
  void driverRequirementFollowsTheNvccMajorVersion() {
    assertEquals(13000, CudaProbe.requiredDriverVersion("13.0"));
    assertEquals(12000, CudaProbe.requiredDriverVersion("12.4"));
    assertEquals(12000, CudaProbe.requiredDriverVersion("unknown"));
  }

  @Test
  void oneLineKeepsTheFirstLine() {
    assertEquals("a", CudaProbe.oneLine(new RuntimeException("a\nb")));
    assertEquals("UnsatisfiedLinkError", CudaProbe.oneLine(new UnsatisfiedLinkError()));
  }

  @Test
  void linkFailureQuotesTheDynamicLinker() {
    String jcudaStyle =
        "Error while loading native library \"JCudaDriver-12.0.0-linux-x86_64\"\n"
            + "Stack trace from the attempt to load the library as a resource:\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.0.0-linux-x86_64.so:"
            + " libcuda.so.1: cannot open shared object file: No such file or directory\n"
            + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)";
    assertEquals(
        "libcuda.so.1: cannot open shared object file: No such file or directory",
        CudaProbe.linkFailure(new UnsatisfiedLinkError(jcudaStyle)));
    assertEquals("plain", CudaProbe.linkFailure(new UnsatisfiedLinkError("plain\nmore")));
  }

  @Test
  void availabilityIsOneNonEmptyLineAndStable() {
    Availability a = new CudaBackendProvider().availability();
    assertFalse(a.reason().isBlank());
    assertFalse(a.reason().contains("\n"), a.reason());
    assertEquals(a, new CudaBackendProvider().availability(), "probed once per JVM");
    assertTrue(new CudaBackendProvider().details() != null);
  }
}
