package org.ntkengine.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.ntkengine.backend.Backend;

/**
 * The conformance suite run against the cuda backend. Skipped with the probe's reason where no GPU
 * is usable, and failed there instead when {@code -Dntk.require} names cuda.
 */
class CudaConformanceTest {

  @Nested
  class Gram extends GramContract {
    @Override
    protected Backend openBackend() {
      return CudaTestSupport.openOrNull();
    }

    @BeforeEach
    void gpuPresent() {
      CudaTestSupport.skipUnlessAvailable();
    }
  }

  @Nested
  class Gemm extends GemmContract {
    @Override
    protected Backend openBackend() {
      return CudaTestSupport.openOrNull();
    }

    @BeforeEach
    void gpuPresent() {
      CudaTestSupport.skipUnlessAvailable();
    }
  }

  @Nested
  class Elementwise extends ElementwiseContract {
    @Override
    protected Backend openBackend() {
      return CudaTestSupport.openOrNull();
    }

    @BeforeEach
    void gpuPresent() {
      CudaTestSupport.skipUnlessAvailable();
    }
  }

  @Nested
  class Ntk extends NtkContract {
    @Override
    protected Backend openBackend() {
      return CudaTestSupport.openOrNull();
    }

    @BeforeEach
    void gpuPresent() {
      CudaTestSupport.skipUnlessAvailable();
    }
  }

  @Nested
  class Lanczos extends LanczosContract {
    @Override
    protected Backend openBackend() {
      return CudaTestSupport.openOrNull();
    }

    @BeforeEach
    void gpuPresent() {
      CudaTestSupport.skipUnlessAvailable();
    }
  }

  @Nested
  class Robustness extends RobustnessContract {
    @Override
    protected Backend openBackend() {
      return CudaTestSupport.openOrNull();
    }

    @BeforeEach
    void gpuPresent() {
      CudaTestSupport.skipUnlessAvailable();
    }
  }
}
