package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.Parameters;
import org.ntkengine.model.SeededRandom;
import org.ntkengine.model.StochasticDepth;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.ntk.MatrixFreeNtk;
import org.ntkengine.ntk.MonteCarloNtk;
import org.ntkengine.ntk.NtkMethod;

/**
 * The empirical NTK contract: structured and explicit assembly agree, both agree with a Jacobian
 * built from central finite differences of the forward pass, Θ(X, X) is symmetric positive
 * semi-definite, the matrix-free product is Θ·v, and tiling changes nothing. Small widths keep it
 * fast; FP64 unless stated.
 */
public abstract class NtkContract extends BackendContract {
  private static final int D = 3;

  private static ModelSpec spec(int depth, int outputs, int m, boolean trainable, Activation act) {
    return ModelSpec.builder(D)
        .fourierFeatures(m)
        .fourierSigma(0.8)
        .trainableFourier(trainable)
        .width(6)
        .depth(depth)
        .activation(act)
        .outputs(outputs)
        .sigmaW(1.2)
        .sigmaB(0.3)
        .alpha(1.0)
        .survival(0.9)
        .build();
  }

  private Network network(ModelSpec spec, Precision p) {
    return new Network(backend, p, Parameters.initialize(spec, 21));
  }

  private static double[] inputs(long seed, int n) {
    return new SeededRandom(seed).gaussians(new double[n * D]);
  }

  private static double relativeFrobenius(double[] expected, double[] actual) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < expected.length; i++) {
      num += (expected[i] - actual[i]) * (expected[i] - actual[i]);
      den += expected[i] * expected[i];
    }
    return Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
  }

  private double[] kernel(EmpiricalNtk ntk, Matrix x1, Matrix x2) {
    try (Matrix k = ntk.kernel(x1, x2)) {
      return download(k);
    }
  }

  @ParameterizedTest(name = "depth {0}, k {1}, m {2}, trainable B {3}, {4}")
  @CsvSource({
    "1, 1, 4, false, RELU",
    "3, 2, 4, true, RELU",
    "3, 1, 0, false, ERF",
    "1, 3, 5, true, ERF",
    "3, 2, 0, false, RELU"
  })
  void structuredEqualsExplicitForOneAndTwoSets(
      int depth, int outputs, int m, boolean trainable, Activation act) {
    ModelSpec spec = spec(depth, outputs, m, trainable, act);
    try (Network net = network(spec, Precision.FP64);
        Matrix x1 = upload(inputs(1, 7), 7, D, Precision.FP64);
        Matrix x2 = upload(inputs(2, 5), 5, D, Precision.FP64)) {
      EmpiricalNtk structured = new EmpiricalNtk(net);
      EmpiricalNtk explicit = structured.withMethod(NtkMethod.EXPLICIT);
      for (Matrix second : new Matrix[] {null, x2}) {
        double[] s = kernel(structured, x1, second);
        double[] e = kernel(explicit, x1, second);
        double err = relativeFrobenius(e, s);
        assertTrue(
            err <= 1e-10,
            spec + (second == null ? " one set" : " two sets") + ": relative error " + err);
        assertEquals(7 * (second == null ? 7 : 5), s.length);
      }
    }
  }

  @ParameterizedTest(name = "depth {0}, k {1}, m {2}, trainable B {3}, {4}, residual {5}")
  @CsvSource({
    "2, 1, 3, false, RELU, true",
    "2, 2, 3, true, ERF, true",
    "1, 2, 0, false, ERF, true",
    "2, 1, 3, false, ERF, false",
    "0, 2, 3, true, RELU, true"
  })
  void kernelEqualsFiniteDifferenceJacobianProduct(
      int depth, int outputs, int m, boolean trainable, Activation act, boolean residual) {
    ModelSpec spec = spec(depth, outputs, m, trainable, act).toBuilder().residual(residual).build();
    int n1 = 4;
    int n2 = 3;
    double[] a = inputs(3, n1);
    double[] b = inputs(4, n2);
    Parameters params = Parameters.initialize(spec, 21);
    double[][] j1 = finiteDifferenceJacobian(params, a, n1);
    double[][] j2 = finiteDifferenceJacobian(params, b, n2);
    int k = spec.outputs();
    double[] expected = new double[n1 * n2];
    for (int i = 0; i < n1; i++) {
      for (int j = 0; j < n2; j++) {
        double sum = 0;
        for (int c = 0; c < k; c++) {
          for (int q = 0; q < j1[0].length; q++) {
            sum += j1[i * k + c][q] * j2[j * k + c][q];
          }
        }
        expected[i * n2 + j] = sum / k;
      }
    }
    try (Network net = network(spec, Precision.FP64);
        Matrix x1 = upload(a, n1, D, Precision.FP64);
        Matrix x2 = upload(b, n2, D, Precision.FP64)) {
      double[] actual = kernel(new EmpiricalNtk(net), x1, x2);
      double err = relativeFrobenius(expected, actual);
      assertTrue(err <= 1e-6, spec + ": relative error against finite differences " + err);
    }
  }

  /**
   * Rows (sample i, output c) = i·k + c, columns every trainable parameter: central differences of
   * the forward pass in evaluation mode, computed on the reference backend in float64.
   */
  private static double[][] finiteDifferenceJacobian(Parameters params, double[] x, int n) {
    ModelSpec spec = params.spec();
    int k = spec.outputs();
    int total = (int) Parameters.trainableCount(spec);
    double[][] jac = new double[n * k][total];
    Backend ref = new ReferenceBackend();
    double h = 1e-6;
    int col = 0;
    try (Matrix mx = Network.upload(ref, Precision.FP64, x, n, D)) {
      for (var t : Parameters.layout(spec)) {
        if (!t.trainable()) {
          continue;
        }
        double[] base = params.get(t.name());
        for (int q = 0; q < base.length; q++, col++) {
          double[] plus = base.clone();
          plus[q] += h;
          double[] minus = base.clone();
          minus[q] -= h;
          double[] fp = outputs(ref, params.with(t.name(), plus), mx);
          double[] fm = outputs(ref, params.with(t.name(), minus), mx);
          for (int r = 0; r < n * k; r++) {
            jac[r][col] = (fp[r] - fm[r]) / (2 * h);
          }
        }
      }
    }
    return jac;
  }

  private static double[] outputs(Backend ref, Parameters p, Matrix x) {
    try (Network net = new Network(ref, Precision.FP64, p);
        Matrix f = net.forward(x)) {
      double[] out = new double[(int) f.size()];
      ref.download(f, out);
      return out;
    }
  }

  @Test
  void oneSetKernelIsSymmetricPositiveSemiDefinite() {
    ModelSpec spec = spec(3, 2, 4, false, Activation.RELU);
    int n = 13;
    try (Network net = network(spec, Precision.FP64);
        Matrix x = upload(inputs(5, n), n, D, Precision.FP64)) {
      double[] theta = kernel(new EmpiricalNtk(net), x, null);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          assertEquals(theta[i * n + j], theta[j * n + i], 0.0, "Θ[" + i + "," + j + "]");
        }
      }
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
      assertTrue(eig.decompose(new DMatrixRMaj(n, n, true, theta)));
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        Complex_F64 ev = eig.getEigenvalue(i);
        min = Math.min(min, ev.real);
        max = Math.max(max, ev.real);
      }
      assertTrue(max > 0, "λ_max = " + max);
      assertTrue(min >= -1e-10 * max, "λ_min = " + min + ", λ_max = " + max);
    }
  }

  @ParameterizedTest(name = "k {0}, trainable B {1}")
  @CsvSource({"1, false", "2, true"})
  void matrixFreeProductEqualsDenseProduct(int outputs, boolean trainable) {
    ModelSpec spec = spec(2, outputs, 3, trainable, Activation.ERF);
    int n = 9;
    int b = 3;
    double[] v = random(77, b * n);
    try (Network net = network(spec, Precision.FP64);
        Matrix x = upload(inputs(6, n), n, D, Precision.FP64);
        Matrix vm = upload(v, b, n, Precision.FP64);
        Matrix out = backend.allocate(b, n, Precision.FP64)) {
      EmpiricalNtk ntk = new EmpiricalNtk(net);
      double[] theta = kernel(ntk, x, null);
      try (MatrixFreeNtk op = ntk.operator(x)) {
        assertEquals(n, op.size());
        backend.fill(out, Double.NaN);
        op.apply(vm, out);
        assertEquals(b, op.applications());
      }
      double[] actual = download(out);
      double[] expected = Oracle.product(v, b, n, false, theta, n, n, false);
      double err = relativeFrobenius(expected, actual);
      assertTrue(err <= 1e-12, "matrix-free vs dense: relative error " + err);
    }
  }

  @Test
  void tilingChangesNothing() {
    ModelSpec spec = spec(2, 2, 3, true, Activation.RELU);
    try (Network net = network(spec, Precision.FP64);
        Matrix x1 = upload(inputs(7, 10), 10, D, Precision.FP64);
        Matrix x2 = upload(inputs(8, 7), 7, D, Precision.FP64)) {
      EmpiricalNtk whole = new EmpiricalNtk(net);
      for (Matrix second : new Matrix[] {null, x2}) {
        int n2 = second == null ? 10 : 7;
        double[] reference = kernel(whole, x1, second);
        assertEquals(10 * n2, reference.length);
        double[] tiled = kernel(whole.withRowTile(4), x1, second);
        double[] explicitTiled =
            kernel(
                whole.withMethod(NtkMethod.EXPLICIT).withRowTile(4).withParameterTile(13),
                x1,
                second);
        double[] explicitWhole =
            kernel(whole.withMethod(NtkMethod.EXPLICIT).withRowTile(100), x1, second);
        assertTrue(relativeFrobenius(reference, tiled) <= 1e-14, "row tiles of 4");
        assertTrue(relativeFrobenius(explicitWhole, explicitTiled) <= 1e-13, "explicit tiles");
        assertTrue(relativeFrobenius(reference, explicitTiled) <= 1e-10, "explicit vs structured");
      }
      // A two-set kernel's rows are the one-set kernel's rows against the other set: Θ(X₁[0:4],
      // X₂) is the first four rows of Θ(X₁, X₂).
      double[] full = kernel(whole, x1, x2);
      try (Matrix head = backend.viewRows(x1, 0, 4)) {
        double[] part = kernel(whole, head, x2);
        assertTrue(relativeFrobenius(Arrays.copyOf(full, 4 * 7), part) <= 1e-14, "sub-batch");
      }
    }
  }

  @Test
  void perOutputBlocksAverageToTheKernel() {
    ModelSpec spec = spec(2, 3, 3, false, Activation.ERF);
    int n = 6;
    try (Network net = network(spec, Precision.FP64);
        Matrix x = upload(inputs(9, n), n, D, Precision.FP64)) {
      EmpiricalNtk ntk = new EmpiricalNtk(net);
      double[] avg = kernel(ntk, x, null);
      Matrix[][] blocks = ntk.perOutput(x, null);
      try {
        double[] sum = new double[n * n];
        for (int c = 0; c < 3; c++) {
          double[] diag = download(blocks[c][c]);
          for (int i = 0; i < sum.length; i++) {
            sum[i] += diag[i] / 3;
          }
          for (int d = 0; d < 3; d++) {
            double[] cd = download(blocks[c][d]);
            double[] dc = download(blocks[d][c]);
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < n; j++) {
                assertEquals(cd[i * n + j], dc[j * n + i], 1e-12, "Θ_cd = Θ_dcᵀ");
              }
            }
          }
        }
        assertTrue(relativeFrobenius(avg, sum) <= 1e-13, "average of the diagonal blocks");
      } finally {
        for (Matrix[] row : blocks) {
          for (Matrix m : row) {
            m.close();
          }
        }
      }
    }
  }

  @Test
  void monteCarloIsTheMeanOverMasksWithItsStandardError() {
    ModelSpec spec =
        ModelSpec.builder(D).fourierFeatures(3).width(5).depth(3).survival(0.5).outputs(1).build();
    int n = 5;
    int s = 4;
    try (Network net = network(spec, Precision.FP64);
        Matrix x = upload(inputs(10, n), n, D, Precision.FP64)) {
      EmpiricalNtk ntk = new EmpiricalNtk(net);
      double[][] samples = new double[s][];
      for (int i = 0; i < s; i++) {
        try (Matrix t = ntk.kernel(x, null, StochasticDepth.sample(spec, 99, i))) {
          samples[i] = download(t);
        }
      }
      try (MonteCarloNtk mc = ntk.monteCarlo(x, null, s, 99)) {
        double[] mean = download(mc.mean());
        double[] se = download(mc.standardError());
        for (int j = 0; j < n * n; j++) {
          double m = 0;
          for (double[] t : samples) {
            m += t[j] / s;
          }
          double var = 0;
          for (double[] t : samples) {
            var += (t[j] - m) * (t[j] - m) / (s - 1);
          }
          assertEquals(m, mean[j], 1e-12 * (1 + Math.abs(m)), "mean[" + j + "]");
          assertEquals(Math.sqrt(var / s), se[j], 1e-10 * (1 + Math.abs(m)), "se[" + j + "]");
        }
      }
    }
  }

  @Test
  void tooSmallBudgetStopsWithTheBytesNeeded() {
    ModelSpec spec = spec(1, 1, 3, false, Activation.RELU);
    try (Network net = network(spec, Precision.FP64);
        Matrix x = upload(inputs(12, 20), 20, D, Precision.FP64)) {
      for (NtkMethod m : NtkMethod.values()) {
        EmpiricalNtk tiny = new EmpiricalNtk(net).withMethod(m).withMemoryBudget(1000);
        NtkException e = assertThrows(NtkException.class, () -> tiny.kernel(x).close());
        assertEquals(ExitCode.RESOURCES, e.exitCode());
        assertTrue(
            e.getMessage().contains("20x20") && e.getMessage().contains("GiB"), e.getMessage());
      }
      // A budget with room for Θ but not for whole-set work matrices forces row tiles.
      long need = EmpiricalNtk.structuredBytes(spec, 20, 20, true, Precision.FP64);
      double[] whole = kernel(new EmpiricalNtk(net), x, null);
      double[] tiled = kernel(new EmpiricalNtk(net).withMemoryBudget(need - 8L * 20 * 12), x, null);
      assertTrue(relativeFrobenius(whole, tiled) <= 1e-14, "budget-chosen tiles");
    }
  }

  @Test
  void singlePrecisionAgreesWithDouble() {
    ModelSpec spec = spec(2, 1, 4, false, Activation.RELU);
    try (Network n64 = network(spec, Precision.FP64);
        Network n32 = network(spec, Precision.FP32);
        Matrix x64 = upload(inputs(11, 8), 8, D, Precision.FP64);
        Matrix x32 = upload(inputs(11, 8), 8, D, Precision.FP32)) {
      double[] t64 = kernel(new EmpiricalNtk(n64), x64, null);
      double[] t32 = kernel(new EmpiricalNtk(n32), x32, null);
      assertTrue(relativeFrobenius(t64, t32) <= 1e-5, "FP32 vs FP64");
    }
  }
}
