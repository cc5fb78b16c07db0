package org.ntkengine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.SeededRandom;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.ntk.NtkMethod;

/**
 * The full per-output kernel against the explicit Jacobian-tile blocks Θ_ce (J_c·J_eᵀ, a separate
 * code path), on a residual network with Fourier features and three outputs.
 */
class FullKernelTest {

  @Test
  void everyBlockMatchesTheExplicitJacobianProduct() {
    int n = 5;
    int d = 2;
    int k = 3;
    ModelSpec spec =
        ModelSpec.builder(d)
            .fourierFeatures(4)
            .fourierSigma(0.7)
            .width(6)
            .depth(2)
            .outputs(k)
            .build();
    double[] x = SeededRandom.stream(9, "x").gaussians(new double[n * d]);
    try (Backend be = new ReferenceBackend();
        Network net = Network.initialize(be, Precision.FP64, spec, 4L);
        Matrix xm = Network.upload(be, Precision.FP64, x, n, d)) {
      double[] full = FullKernel.compute(net, xm);
      Matrix[][] blocks = new EmpiricalNtk(net).withMethod(NtkMethod.EXPLICIT).perOutput(xm, null);
      double[] b = new double[n * n];
      for (int c = 0; c < k; c++) {
        for (int e = 0; e < k; e++) {
          try (Matrix m = blocks[c][e]) {
            be.download(m, b);
          }
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              double expected = b[i * n + j];
              assertEquals(
                  expected,
                  full[(i * k + c) * n * k + j * k + e],
                  1e-12 * (1 + Math.abs(expected)),
                  "block (" + c + ", " + e + ") entry (" + i + ", " + j + ")");
            }
          }
        }
      }
    }
  }
}
