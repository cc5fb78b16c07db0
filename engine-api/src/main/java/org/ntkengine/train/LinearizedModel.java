package org.ntkengine.train;

import java.util.function.DoubleUnaryOperator;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.linalg.KrylovFunctions;
import org.ntkengine.linalg.SymmetricOperator;
import org.ntkengine.model.Network;

/**
 * The network linearised around its initialisation, f_lin(x) = f_0(x) + ∇f_0(x)·(θ − θ_0), trained
 * on (1/2n)‖f − Y‖² in the kernel regime (Lee et al., NeurIPS 2019): on the training set the
 * residual evolves as f_lin,train(t) − Y = D(Θ)·(f_0 − Y) and on other inputs
 *
 * <pre>
 *   f_lin,test(t) = f_0,test − Θ_test,train · Θ⁻¹(I − D(Θ)) · (f_0 − Y),
 * </pre>
 *
 * with Θ = Θ_0 the output-averaged NTK at initialisation (the cross-output blocks vanish at
 * infinite width, so every output column evolves under the same Θ). D is the decay of the chosen
 * {@link Dynamics}: e^{−ηΘs/n} for gradient flow, (I − ηΘ/n)^s for s steps of gradient descent.
 *
 * <p>Both are computed with the Lanczos matrix functions of {@link KrylovFunctions}, never a dense
 * eigendecomposition. The test formula applies g(λ) = (1 − D(λ))/λ as one function rather than
 * solving with Θ: g is bounded (by ηs/n) at λ → 0, so no ridge is needed and a singular Θ is fine;
 * the ridge-regularised solve is only needed for the t → ∞ limit ({@link KernelRegression}).
 *
 * <p>Θ is held by a backend in float64 where it supports that. Close the model to release it.
 */
public final class LinearizedModel implements AutoCloseable {
  private static final double TOL = 1e-10;
  private static final int MAX_STEPS = 600;

  /** The time discretisation of training. */
  public enum Dynamics {
    /** Gradient flow: D(λ) = exp(−ηλs/n). */
    FLOW,
    /** s steps of gradient descent with step η: D(λ) = (1 − ηλ/n)^s. */
    GRADIENT_DESCENT
  }

  private final Backend backend;
  private final Matrix theta;
  private final SymmetricOperator op;
  private final int n;
  private final int nTest;
  private final int k;
  private final double[] thetaTestTrain;
  private final double[] f0Train;
  private final double[] f0Test;
  private final double[] y;

  /**
   * Builds the model from the kernels and outputs at initialisation (row-major host arrays).
   *
   * @param backend where Θ is held and the Krylov products run
   * @param theta Θ_0(X, X), n×n symmetric
   * @param n training points
   * @param thetaTestTrain Θ_0(X_test, X), nTest×n (may be empty when nTest = 0)
   * @param nTest test points
   * @param f0Train f_0(X), n×k
   * @param f0Test f_0(X_test), nTest×k
   * @param y Y, n×k
   * @param k outputs
   * @throws NtkException (bad input) when a shape disagrees
   */
  public LinearizedModel(
      Backend backend,
      double[] theta,
      int n,
      double[] thetaTestTrain,
      int nTest,
      double[] f0Train,
      double[] f0Test,
      double[] y,
      int k) {
    check("Θ_0(X, X)", theta, n, n);
    check("Θ_0(X_test, X)", thetaTestTrain, nTest, n);
    check("f_0(X)", f0Train, n, k);
    check("f_0(X_test)", f0Test, nTest, k);
    check("Y", y, n, k);
    this.backend = backend;
    this.n = n;
    this.nTest = nTest;
    this.k = k;
    this.thetaTestTrain = thetaTestTrain.clone();
    this.f0Train = f0Train.clone();
    this.f0Test = f0Test.clone();
    this.y = y.clone();
    Precision p = backend.precisions().contains(Precision.FP64) ? Precision.FP64 : Precision.FP32;
    this.theta = Network.upload(backend, p, theta, n, n);
    this.op = SymmetricOperator.dense(backend, this.theta);
  }

  private static void check(String what, double[] a, int rows, int cols) {
    if (a == null || a.length != (long) rows * cols) {
      throw NtkException.badInput(
          "linearised model: "
              + what
              + " must be "
              + rows
              + "x"
              + cols
              + ", got "
              + (a == null ? "none" : a.length + " values"));
    }
  }

  /**
   * The decay D(λ) of the residual along an eigenvalue λ after s steps.
   *
   * @param dynamics flow or gradient descent
   * @param eta the step η
   * @param steps s, ≥ 0
   * @param n training points
   * @return D as a function of λ
   */
  public static DoubleUnaryOperator decay(Dynamics dynamics, double eta, double steps, int n) {
    double rate = eta / n;
    return switch (dynamics) {
      case FLOW -> lambda -> Math.exp(-rate * lambda * steps);
      case GRADIENT_DESCENT -> lambda -> Math.pow(1 - rate * lambda, steps);
    };
  }

  /**
   * g(λ) = (1 − D(λ))/λ, evaluated without cancellation: −expm1 of the log-decay over λ, and the
   * limit rate·s at λ = 0.
   */
  private static DoubleUnaryOperator learnt(Dynamics dynamics, double eta, double steps, int n) {
    double rate = eta / n;
    return lambda -> {
      double x = rate * lambda;
      if (Math.abs(x) < 1e-300) {
        return rate * steps;
      }
      double oneMinus;
      if (dynamics == Dynamics.FLOW) {
        oneMinus = -Math.expm1(-x * steps);
      } else if (x < 1) {
        oneMinus = -Math.expm1(steps * Math.log1p(-x));
      } else {
        // Past the stable range there is no cancellation to avoid.
        oneMinus = 1 - Math.pow(1 - x, steps);
      }
      return oneMinus / lambda;
    };
  }

  /**
   * f_lin on the training set after s steps.
   *
   * @param dynamics flow or gradient descent
   * @param eta the step η
   * @param steps s, ≥ 0
   * @return f_lin(X), n×k row-major
   */
  public double[] train(Dynamics dynamics, double eta, double steps) {
    DoubleUnaryOperator d = decay(dynamics, eta, steps, n);
    double[] out = new double[n * k];
    double[] r = new double[n];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < n; i++) {
        r[i] = f0Train[i * k + c] - y[i * k + c];
      }
      double[] v = KrylovFunctions.apply(op, d, r, TOL, MAX_STEPS).value();
      for (int i = 0; i < n; i++) {
        out[i * k + c] = y[i * k + c] + v[i];
      }
    }
    return out;
  }

  /**
   * f_lin on the test set after s steps.
   *
   * @param dynamics flow or gradient descent
   * @param eta the step η
   * @param steps s, ≥ 0
   * @return f_lin(X_test), nTest×k row-major
   */
  public double[] test(Dynamics dynamics, double eta, double steps) {
    DoubleUnaryOperator g = learnt(dynamics, eta, steps, n);
    double[] out = f0Test.clone();
    double[] r = new double[n];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < n; i++) {
        r[i] = f0Train[i * k + c] - y[i * k + c];
      }
      double[] v = KrylovFunctions.apply(op, g, r, TOL, MAX_STEPS).value();
      for (int i = 0; i < nTest; i++) {
        double s = 0;
        int row = i * n;
        for (int j = 0; j < n; j++) {
          s += thetaTestTrain[row + j] * v[j];
        }
        out[i * k + c] -= s;
      }
    }
    return out;
  }

  /**
   * Returns the number of training points.
   *
   * @return n
   */
  public int size() {
    return n;
  }

  @Override
  public void close() {
    theta.close();
  }
}
