package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;
import org.ntkengine.linalg.KrylovFunctions;
import org.ntkengine.linalg.LanczosResult;
import org.ntkengine.linalg.LanczosSolver;
import org.ntkengine.linalg.LanczosSolver.Options;
import org.ntkengine.linalg.LanczosSolver.Which;
import org.ntkengine.linalg.SpectralDensity;
import org.ntkengine.linalg.SymmetricOperator;

/**
 * The contract of the Krylov solvers on a backend: eigenpairs against EJML's dense symmetric
 * eigensolver and against spectra known in closed form, the hard cases (zero operator, identity,
 * repeated eigenvalues, rank deficiency, null-space start, k near n), the budget, and f(Θ)·v, CG
 * and stochastic Lanczos quadrature against the dense eigendecomposition.
 */
public abstract class LanczosContract extends BackendContract {
  private final List<Matrix> owned = new ArrayList<>();

  @AfterEach
  void release() {
    for (Matrix m : owned) {
      m.close();
    }
    owned.clear();
  }

  /** A dense operator on the backend under test, closed after the test. */
  protected SymmetricOperator dense(double[] theta, int n, Precision p) {
    Matrix m = upload(theta, n, n, p);
    owned.add(m);
    return SymmetricOperator.dense(backend, m);
  }

  // ---- data with known or independently computed spectra

  /** Θ = A·Aᵀ/(2n) with A n×2n Gaussian: a full-rank Wishart matrix, eigenvalues in (0.08, 3). */
  static double[] randomPsd(long seed, int n) {
    int p = 2 * n;
    Random r = new Random(seed);
    double[] a = new double[n * p];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
    }
    double[] theta = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0.0;
        for (int k = 0; k < p; k++) {
          s += a[i * p + k] * a[j * p + k];
        }
        theta[i * n + j] = s / p;
        theta[j * n + i] = s / p;
      }
    }
    return theta;
  }

  static double[] diagonal(double... d) {
    int n = d.length;
    double[] theta = new double[n * n];
    for (int i = 0; i < n; i++) {
      theta[i * n + i] = d[i];
    }
    return theta;
  }

  /** H·diag(d)·H with H = I − 2uuᵀ a seeded Householder reflection: spectrum d, dense vectors. */
  static double[] reflected(long seed, double... d) {
    int n = d.length;
    Random r = new Random(seed);
    double[] u = new double[n];
    double norm = 0.0;
    for (int i = 0; i < n; i++) {
      u[i] = r.nextGaussian();
      norm += u[i] * u[i];
    }
    norm = Math.sqrt(norm);
    double[] h = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i * n + j] = (i == j ? 1.0 : 0.0) - 2 * u[i] * u[j] / (norm * norm);
      }
    }
    double[] theta = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0.0;
        for (int k = 0; k < n; k++) {
          s += h[i * n + k] * d[k] * h[k * n + j];
        }
        theta[i * n + j] = s;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double s = 0.5 * (theta[i * n + j] + theta[j * n + i]);
        theta[i * n + j] = s;
        theta[j * n + i] = s;
      }
    }
    return theta;
  }

  /** The dense reference: eigenvalues ascending and eigenvectors (columns) from EJML. */
  record Dense(double[] values, double[][] vectors) {}

  static Dense ejml(double[] theta, int n) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, theta.clone()))) {
      throw new AssertionError("EJML failed to decompose the reference matrix");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, (x, y) -> Double.compare(eig.getEigenvalue(x).real, eig.getEigenvalue(y).real));
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int i = 0; i < n; i++) {
      values[i] = eig.getEigenvalue(order[i]).real;
      DMatrixRMaj v = eig.getEigenVector(order[i]);
      double norm = 0.0;
      vectors[i] = new double[n];
      for (int j = 0; j < n; j++) {
        vectors[i][j] = v.get(j, 0);
        norm += vectors[i][j] * vectors[i][j];
      }
      for (int j = 0; j < n; j++) {
        vectors[i][j] /= Math.sqrt(norm);
      }
    }
    return new Dense(values, vectors);
  }

  /** ‖Θx − λx‖ on the host in float64. */
  static double hostResidual(double[] theta, int n, double[] x, double lambda) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      double y = -lambda * x[i];
      for (int j = 0; j < n; j++) {
        y += theta[i * n + j] * x[j];
      }
      s += y * y;
    }
    return Math.sqrt(s);
  }

  static LanczosSolver solver(double tol) {
    return new LanczosSolver(Options.defaults().withTol(tol).withVectors(true));
  }

  // ---- eigenpairs against the dense solver

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 40, 129, 500})
  void randomPsdTopAndBottomMatchDenseSolver(int n) {
    long seed = 5000 + n;
    double[] theta = randomPsd(seed, n);
    Dense ref = ejml(theta, n);
    SymmetricOperator op = dense(theta, n, Precision.FP64);
    int k = Math.min(10, n);
    for (Which which : Which.values()) {
      LanczosResult r = solver(1e-10).solve(op, k, which);
      assertTrue(r.converged(), () -> which + " n=" + n + " seed " + seed + " did not converge");
      for (int i = 0; i < k; i++) {
        double expected = which == Which.LARGEST ? ref.values()[n - 1 - i] : ref.values()[i];
        int idx = i;
        assertEquals(
            expected,
            r.eigenvalues()[i],
            1e-10 * Math.abs(expected),
            () -> which + " eigenvalue " + idx + " n=" + n + " seed " + seed);
        double res = hostResidual(theta, n, r.eigenvectors()[i], r.eigenvalues()[i]);
        assertTrue(
            res <= 1e-10 * r.lambdaMax() * 1.01,
            () -> which + " host residual " + res + " of pair " + idx + " seed " + seed);
        assertEquals(
            res, r.residuals()[i], 1e-13 * r.lambdaMax() + 1e-3 * res, "reported residual");
      }
    }
  }

  @Test
  void singlePrecisionMatchesDenseSolverOfRoundedMatrix() {
    int n = 200;
    double[] theta = roundedTo(Precision.FP32, randomPsd(77, n));
    Dense ref = ejml(theta, n);
    LanczosResult r = solver(1e-10).solve(dense(theta, n, Precision.FP32), 5, Which.LARGEST);
    assertTrue(r.converged(), "FP32 solve at the raised tolerance " + r.tolerance());
    assertTrue(r.tolerance() > 1e-10, "FP32 cannot reach 1e-10; the floor must be reported");
    for (int i = 0; i < 5; i++) {
      assertEquals(ref.values()[n - 1 - i], r.eigenvalues()[i], 1e-5 * ref.values()[n - 1]);
    }
  }

  @Test
  void matrixFreeOperatorMatchesDenseSolver() {
    int n = 300;
    int p = 40;
    double[] j = random(901, n * p);
    double[] theta = new double[n * n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        double s = 0.0;
        for (int c = 0; c < p; c++) {
          s += j[a * p + c] * j[b * p + c];
        }
        theta[a * n + b] = s;
      }
    }
    Dense ref = ejml(theta, n);
    Matrix jm = upload(j, n, p, Precision.FP64);
    owned.add(jm);
    Backend be = backend;
    SymmetricOperator op =
        new SymmetricOperator() {
          @Override
          public int size() {
            return n;
          }

          @Override
          public Backend backend() {
            return be;
          }

          @Override
          public Precision precision() {
            return Precision.FP64;
          }

          @Override
          public void apply(Matrix vectors, Matrix out) {
            // V·J·Jᵀ without forming the n×n matrix.
            try (Matrix vj = be.allocate(vectors.rows(), p, Precision.FP64)) {
              be.gemm(Transpose.NO, Transpose.NO, 1.0, vectors, jm, 0.0, vj);
              be.gemm(Transpose.NO, Transpose.YES, 1.0, vj, jm, 0.0, out);
            }
          }
        };
    LanczosResult r = solver(1e-10).solve(op, 5, Which.LARGEST);
    assertTrue(r.converged());
    for (int i = 0; i < 5; i++) {
      assertEquals(ref.values()[n - 1 - i], r.eigenvalues()[i], 1e-10 * ref.values()[n - 1 - i]);
    }
  }

  // ---- known spectra and the hard cases

  @Test
  void noGhostCopyOfAnIsolatedEigenvalue() {
    double[] d = new double[100];
    for (int i = 0; i < 99; i++) {
      d[i] = i + 1;
    }
    d[99] = 1000;
    double[] ones = new double[100];
    Arrays.fill(ones, 1.0);
    LanczosResult r =
        new LanczosSolver(Options.defaults().withStartVector(ones))
            .solve(dense(diagonal(d), 100, Precision.FP64), 5, Which.LARGEST);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {1000, 99, 98, 97, 96}, r.eigenvalues(), 1e-9 * 1000);
  }

  @Test
  void cycleLaplacianReturnsBothCopiesOfDoubleEigenvalues() {
    int n = 20;
    double[] theta = new double[n * n];
    for (int i = 0; i < n; i++) {
      theta[i * n + i] = 1.0;
      theta[i * n + (i + 1) % n] = -0.5;
      theta[i * n + (i + n - 1) % n] = -0.5;
    }
    // L = I − A/2 has eigenvalues 1 − cos(2πj/20), j = 0..19.
    double c1 = 1 + Math.cos(Math.PI / 10);
    double c2 = 1 + Math.cos(Math.PI / 5);
    LanczosResult r = solver(1e-10).solve(dense(theta, n, Precision.FP64), 5, Which.LARGEST);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {2, c1, c1, c2, c2}, r.eigenvalues(), 1e-12);
    assertEquals(1.951057, c1, 5e-7);
    assertEquals(1.809017, c2, 5e-7);
    assertOrthonormal(r.eigenvectors());
  }

  @Test
  void repeatedTopEigenvalueInALargeProblemIsFoundThreeTimes() {
    int n = 150;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = 1.0 + 2.0 * i / n;
    }
    d[0] = 5;
    d[1] = 5;
    d[2] = 5;
    d[3] = 4;
    double[] theta = reflected(31, d);
    LanczosResult r = solver(1e-10).solve(dense(theta, n, Precision.FP64), 4, Which.LARGEST);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {5, 5, 5, 4}, r.eigenvalues(), 1e-9);
    assertOrthonormal(r.eigenvectors());
  }

  @Test
  void zeroOperatorGivesExactZero() {
    LanczosResult r =
        solver(1e-10).solve(dense(new double[16], 4, Precision.FP64), 1, Which.LARGEST);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {0.0}, r.eigenvalues(), 0.0);
    assertArrayEquals(new double[] {0.0}, r.residuals(), 0.0);
  }

  @Test
  void identityGivesSixOnes() {
    double[] eye = new double[100];
    Arrays.fill(eye, 1.0);
    for (Which which : Which.values()) {
      LanczosResult r = solver(1e-10).solve(dense(diagonal(eye), 100, Precision.FP64), 6, which);
      assertTrue(r.converged());
      assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, r.eigenvalues(), 1e-14);
      assertOrthonormal(r.eigenvectors());
    }
  }

  @Test
  void startVectorInTheNullSpace() {
    double[] e0 = {1, 0, 0, 0, 0};
    LanczosResult r =
        new LanczosSolver(Options.defaults().withStartVector(e0))
            .solve(dense(diagonal(0, 2, 3, 4, 5), 5, Precision.FP64), 3, Which.LARGEST);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {5, 4, 3}, r.eigenvalues(), 1e-13);
  }

  @Test
  void startVectorInTheNullSpaceOfALargerProblem() {
    int n = 120;
    double[] d = new double[n];
    for (int i = 1; i < n; i++) {
      d[i] = i;
    }
    double[] e0 = new double[n];
    e0[0] = 1;
    LanczosResult r =
        new LanczosSolver(Options.defaults().withStartVector(e0))
            .solve(dense(diagonal(d), n, Precision.FP64), 3, Which.LARGEST);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {119, 118, 117}, r.eigenvalues(), 1e-8);
  }

  @Test
  void rankDeficientGramHasExactZerosAndStableTop() {
    double[][] j = {{1, 0}, {0, 1}, {1, 1}, {1, -1}, {2, 0}};
    double[] theta = new double[25];
    for (int a = 0; a < 5; a++) {
      for (int b = 0; b < 5; b++) {
        theta[a * 5 + b] = j[a][0] * j[b][0] + j[a][1] * j[b][1];
      }
    }
    // JᵀJ = [[7, 0], [0, 3]], so J·Jᵀ has eigenvalues 7, 3 and three zeros.
    SymmetricOperator op = dense(theta, 5, Precision.FP64);
    LanczosResult r = solver(1e-10).solve(op, 3, Which.LARGEST);
    assertEquals(7, r.eigenvalues()[0], 1e-12);
    assertEquals(3, r.eigenvalues()[1], 1e-12);
    assertTrue(Math.abs(r.eigenvalues()[2]) < 1e-12, "third eigenvalue " + r.eigenvalues()[2]);
    for (int k = 1; k <= 4; k++) {
      assertEquals(7, solver(1e-10).solve(op, k, Which.LARGEST).eigenvalues()[0], 1e-12, "k=" + k);
    }
    LanczosResult bottom = solver(1e-10).solve(op, 3, Which.SMALLEST);
    assertArrayEquals(new double[] {0, 0, 0}, bottom.eigenvalues(), 0.0);
  }

  @Test
  void rankDeficientLargeProblemReturnsEveryZero() {
    int n = 120;
    int rank = 10;
    double[] j = random(4242, n * rank);
    double[] theta = new double[n * n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        double s = 0.0;
        for (int c = 0; c < rank; c++) {
          s += j[a * rank + c] * j[b * rank + c];
        }
        theta[a * n + b] = s;
      }
    }
    Dense ref = ejml(theta, n);
    SymmetricOperator op = dense(theta, n, Precision.FP64);
    LanczosResult bottom = solver(1e-10).solve(op, 3, Which.SMALLEST);
    assertTrue(bottom.converged());
    assertArrayEquals(new double[] {0, 0, 0}, bottom.eigenvalues(), 0.0);
    assertOrthonormal(bottom.eigenvectors());
    LanczosResult top = solver(1e-10).solve(op, rank, Which.LARGEST);
    assertTrue(top.converged());
    for (int i = 0; i < rank; i++) {
      double expected = ref.values()[n - 1 - i];
      assertEquals(expected, top.eigenvalues()[i], 1e-10 * expected);
    }
  }

  @Test
  void kNearNUsesTheWholeSpace() {
    int n = 30;
    double[] theta = randomPsd(61, n);
    Dense ref = ejml(theta, n);
    LanczosResult r = solver(1e-12).solve(dense(theta, n, Precision.FP64), n - 1, Which.SMALLEST);
    assertTrue(r.converged());
    for (int i = 0; i < n - 1; i++) {
      assertEquals(ref.values()[i], r.eigenvalues()[i], 1e-12 * ref.values()[n - 1]);
    }
  }

  @Test
  void oneByOne() {
    LanczosResult r =
        solver(1e-10).solve(dense(new double[] {3.5}, 1, Precision.FP64), 1, Which.SMALLEST);
    assertArrayEquals(new double[] {3.5}, r.eigenvalues(), 1e-15);
    assertEquals(1.0, Math.abs(r.eigenvectors()[0][0]), 1e-15);
  }

  @Test
  void kOutOfRangeIsAUsageError() {
    SymmetricOperator op = dense(diagonal(1, 2, 3), 3, Precision.FP64);
    for (int k : new int[] {0, 4}) {
      NtkException e =
          assertThrows(NtkException.class, () -> solver(1e-10).solve(op, k, Which.LARGEST));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("between 1 and 3"), e.getMessage());
    }
  }

  @Test
  void budgetSpentReturnsBestEstimatesUnconverged() {
    int n = 400;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = 1.0 + i * 1e-3;
    }
    LanczosResult r =
        new LanczosSolver(Options.defaults().withMaxMatvecs(60))
            .solve(dense(diagonal(d), n, Precision.FP64), 10, Which.SMALLEST);
    assertFalse(r.converged());
    assertTrue(r.matvecs() <= 60 + 10, "matvecs " + r.matvecs());
    for (double v : r.eigenvalues()) {
      assertTrue(v >= 1.0 - 1e-12 && v <= d[n - 1] + 1e-12, "estimate " + v + " is in range");
    }
  }

  @Test
  void sameSeedSameBits() {
    double[] theta = randomPsd(12, 80);
    SymmetricOperator op = dense(theta, 80, Precision.FP64);
    LanczosResult a = solver(1e-10).solve(op, 4, Which.LARGEST);
    LanczosResult b = solver(1e-10).solve(op, 4, Which.LARGEST);
    assertArrayEquals(a.eigenvalues(), b.eigenvalues(), 0.0);
    assertEquals(a.matvecs(), b.matvecs());
  }

  // ---- matrix functions

  static double[] denseFunction(Dense ref, DoubleUnaryOperator f, double[] v) {
    int n = v.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double c = 0.0;
      for (int j = 0; j < n; j++) {
        c += ref.vectors()[i][j] * v[j];
      }
      c *= f.applyAsDouble(ref.values()[i]);
      for (int j = 0; j < n; j++) {
        out[j] += c * ref.vectors()[i][j];
      }
    }
    return out;
  }

  static double distance(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  @Test
  void matrixFunctionsMatchDenseEigendecomposition() {
    int n = 150;
    double[] theta = randomPsd(808, n);
    Dense ref = ejml(theta, n);
    double lambdaMax = ref.values()[n - 1];
    double[] v = random(809, n);
    double vNorm = norm(v);
    SymmetricOperator op = dense(theta, n, Precision.FP64);
    double t = 20.0 / lambdaMax;

    KrylovFunctions.Result e = KrylovFunctions.exp(op, t, v, 1e-12, 200);
    double[] eRef = denseFunction(ref, x -> Math.exp(-t * x), v);
    assertTrue(e.converged());
    assertTrue(
        distance(e.value(), eRef) <= 1e-10 * vNorm, "exp error " + distance(e.value(), eRef));

    KrylovFunctions.Result g = KrylovFunctions.oneMinusExp(op, t, v, 1e-12, 200);
    double[] gRef = denseFunction(ref, x -> 1 - Math.exp(-t * x), v);
    assertTrue(g.converged());
    assertTrue(
        distance(g.value(), gRef) <= 1e-10 * vNorm, "1-exp error " + distance(g.value(), gRef));

    for (double ridge : new double[] {0.0, 0.05}) {
      KrylovFunctions.Result x = KrylovFunctions.solve(op, ridge, v, 1e-12, 500);
      double[] xRef = denseFunction(ref, y -> 1 / (y + ridge), v);
      assertTrue(x.converged(), "CG ridge " + ridge);
      double xNorm = norm(xRef);
      assertTrue(
          distance(x.value(), xRef) <= 1e-9 * xNorm,
          "solve ridge " + ridge + " error " + distance(x.value(), xRef));
      assertTrue(x.errorEstimate() <= 1e-11 * vNorm, "true residual " + x.errorEstimate());
    }
  }

  @Test
  void blockSolveMatchesDenseResolventForEveryRightHandSide() {
    int n = 90;
    double[] theta = randomPsd(606, n);
    Dense ref = ejml(theta, n);
    double ridge = 0.01;
    double[][] rhs = {random(607, n), new double[n], random(608, n)};
    KrylovFunctions.Result[] x =
        KrylovFunctions.solve(dense(theta, n, Precision.FP64), ridge, rhs, 1e-12, 400);
    assertEquals(3, x.length);
    for (int c = 0; c < 3; c++) {
      double[] expected = denseFunction(ref, y -> 1 / (y + ridge), rhs[c]);
      assertTrue(x[c].converged(), "right-hand side " + c);
      assertTrue(
          distance(x[c].value(), expected) <= 1e-9 * Math.max(1e-300, norm(expected)),
          "right-hand side " + c + " error " + distance(x[c].value(), expected));
    }
    assertEquals(0, x[1].steps(), "a zero right-hand side needs no iteration");
    assertArrayEquals(new double[n], x[1].value(), 0.0);
  }

  @Test
  void matrixFunctionErrorEstimateTracksTheErrorWhenStoppedEarly() {
    int n = 150;
    double[] theta = randomPsd(818, n);
    Dense ref = ejml(theta, n);
    double t = 20.0 / ref.values()[n - 1];
    double[] v = random(819, n);
    double[] exact = denseFunction(ref, x -> Math.exp(-t * x), v);
    SymmetricOperator op = dense(theta, n, Precision.FP64);
    // Once convergence is superlinear the change over the last steps bounds the error.
    for (int steps : new int[] {12, 16, 20, 24}) {
      KrylovFunctions.Result e = KrylovFunctions.exp(op, t, v, 1e-15, steps);
      double error = distance(e.value(), exact);
      assertFalse(e.converged(), steps + " steps cannot reach 1e-15");
      assertEquals(steps, e.steps());
      assertTrue(
          e.errorEstimate() >= error,
          "steps " + steps + ": estimate " + e.errorEstimate() + " below the error " + error);
    }
  }

  // ---- stochastic Lanczos quadrature

  @Test
  void quadratureOfADiagonalMatrixIsExact() {
    double[] d = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5};
    SpectralDensity s = SpectralDensity.estimate(dense(diagonal(d), 8, Precision.FP64), 3, 8, 9);
    // Rademacher probes have z_i² = 1, so every eigenvalue gets weight 1/n from every probe.
    double[] counts = s.histogram(0, 8, 8);
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, counts, 1e-10);
    double total = 0.0;
    for (double w : s.weights()) {
      total += w;
    }
    assertEquals(1.0, total, 1e-12);
  }

  @Test
  void quadratureMeanMatchesTraceWithinSamplingError() {
    int n = 100;
    double[] theta = randomPsd(1234, n);
    int probes = 20;
    SpectralDensity s = SpectralDensity.estimate(dense(theta, n, Precision.FP64), probes, 30, 3);
    double mean = 0.0;
    for (int i = 0; i < s.nodes().length; i++) {
      mean += s.weights()[i] * s.nodes()[i];
    }
    double trace = 0.0;
    double offDiagonal = 0.0;
    for (int i = 0; i < n; i++) {
      trace += theta[i * n + i];
      for (int j = 0; j < n; j++) {
        if (i != j) {
          offDiagonal += theta[i * n + j] * theta[i * n + j];
        }
      }
    }
    // Var(zᵀΘz) = 2·Σ_{i≠j} Θ_ij² for Rademacher z (Hutchinson, 1990).
    double sigma = Math.sqrt(2 * offDiagonal / probes) / n;
    assertEquals(trace / n, mean, 6 * sigma, "SLQ mean against tr(Θ)/n");
  }

  static void assertOrthonormal(double[][] x) {
    for (int a = 0; a < x.length; a++) {
      for (int b = 0; b <= a; b++) {
        double s = 0.0;
        for (int i = 0; i < x[a].length; i++) {
          s += x[a][i] * x[b][i];
        }
        assertEquals(a == b ? 1.0 : 0.0, s, 1e-10, "⟨x" + a + ", x" + b + "⟩");
      }
    }
  }

  static double norm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
