package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Nested;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.ReferenceBackend;

/** The conformance suite run against the reference backend. */
class ReferenceConformanceTest {

  @Nested
  class Gram extends GramContract {
    @Override
    protected Backend openBackend() {
      return new ReferenceBackend();
    }

    @Override
    protected void assertExactCancellation(double value) {
      assertEquals(2.0, value, 0.0, "the reference backend accumulates FP32 data in float64");
    }
  }

  @Nested
  class Gemm extends GemmContract {
    @Override
    protected Backend openBackend() {
      return new ReferenceBackend();
    }
  }

  @Nested
  class Elementwise extends ElementwiseContract {
    @Override
    protected Backend openBackend() {
      return new ReferenceBackend();
    }
  }

  @Nested
  class Ntk extends NtkContract {
    @Override
    protected Backend openBackend() {
      return new ReferenceBackend();
    }
  }

  @Nested
  class Lanczos extends LanczosContract {
    @Override
    protected Backend openBackend() {
      return new ReferenceBackend();
    }
  }

  @Nested
  class Robustness extends RobustnessContract {
    @Override
    protected Backend openBackend() {
      return new ReferenceBackend();
    }
  }
}
