package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.ntkengine.backend.Availability;
import org.ntkengine.cuda.CudaBackend;
import org.ntkengine.cuda.CudaBackendProvider;

/** Opens the cuda backend for GPU tests, or skips them with the probe's reason. */
final class CudaTestSupport {
  private CudaTestSupport() {}

  /**
   * Whether this run must have a GPU ({@code -Dntk.require} names cuda).
   *
   * @return true when a missing GPU is a failure
   */
  static boolean required() {
    return System.getProperty("ntk.require", "").contains("cuda");
  }

  /**
   * Opens the backend for a test class; without a usable GPU, fails when one is required and
   * otherwise returns null, leaving {@link #skipUnlessAvailable} to skip each test with the reason
   * (a skip in a class-level hook would be reported without it).
   *
   * @return the backend, or null without a usable GPU
   */
  static CudaBackend openOrNull() {
    CudaBackendProvider provider = new CudaBackendProvider();
    Availability a = provider.availability();
    if (!a.available()) {
      if (required()) {
        fail("-Dntk.require=cuda but the cuda backend is unavailable: " + a.reason());
      }
      return null;
    }
    return (CudaBackend) provider.open();
  }

  /** Skips the current test with the probe's reason when no GPU is usable. */
  static void skipUnlessAvailable() {
    Availability a = new CudaBackendProvider().availability();
    Assumptions.assumeTrue(
        a.available(), () -> "cuda backend unavailable, GPU test skipped: " + a.reason());
  }
}
