package org.ntkengine.analytic;

import java.util.SplittableRandom;
import org.ntkengine.backend.SpecialFunctions;
import org.ntkengine.model.Activation;
import org.ntkengine.model.ModelSpec;

/**
 * A finite-width NTK-ECRN (or plain MLP) written out in plain double arithmetic, independently of
 * the analytic layers: parameters drawn from a seed, a forward pass in evaluation mode (branch l
 * scaled by α_l·p_l) and hand-written backpropagation of the scalar output, giving the empirical
 * NTK Θ(x, x′) = Σ_θ ∂f(x)/∂θ·∂f(x′)/∂θ as Σ_layers s²(δ·δ′)(a·a′) + σ_b²(δ·δ′), and the empirical
 * NNGP σ_w²⟨h_L, h_L′⟩/n + σ_b².
 */
final class FiniteNetwork {
  final ModelSpec spec;
  final double[] b;
  private final int n;
  private final int in;
  private final double[] w0;
  private final double[] b0;
  private final double[][] u;
  private final double[][] c;
  private final double[][] v;
  private final double[] wOut;

  FiniteNetwork(ModelSpec spec, long seed) {
    this.spec = spec;
    SplittableRandom rnd = new SplittableRandom(seed);
    n = spec.width();
    int d = spec.inputDim();
    int m = spec.fourierFeatures();
    b = m > 0 ? gauss(rnd, m * d, spec.fourierSigma()) : null;
    in = spec.stemInputs();
    w0 = gauss(rnd, n * in, 1);
    b0 = gauss(rnd, n, 1);
    int depth = spec.depth();
    u = new double[depth][];
    c = new double[depth][];
    v = new double[depth][];
    for (int l = 0; l < depth; l++) {
      u[l] = gauss(rnd, n * n, 1);
      c[l] = gauss(rnd, n, 1);
      v[l] = gauss(rnd, n * n, 1);
    }
    wOut = gauss(rnd, n, 1);
  }

  private static double[] gauss(SplittableRandom rnd, int count, double sd) {
    double[] a = new double[count];
    for (int i = 0; i < count; i++) {
      a[i] = sd * rnd.nextGaussian();
    }
    return a;
  }

  /** Per-input factors: for each weight layer, its scale², cotangent δ and input activation a. */
  private static final class Trace {
    double[][] delta;
    double[][] act;
    double[] hLast;
  }

  private Trace trace(double[] x, int d) {
    int depth = spec.depth();
    double sw = spec.sigmaW();
    double sb = spec.sigmaB();
    double s = sw / Math.sqrt(n);
    int m = spec.fourierFeatures();
    double[] a0 = new double[in];
    if (m > 0) {
      for (int f = 0; f < m; f++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += b[f * d + k] * x[k];
        }
        a0[f] = Math.cos(2 * Math.PI * dot);
        a0[m + f] = Math.sin(2 * Math.PI * dot);
      }
    } else {
      System.arraycopy(x, 0, a0, 0, d);
    }
    double s0 = sw / Math.sqrt(m > 0 ? m : d);
    double[][] h = new double[depth + 1][];
    h[0] = affine(w0, a0, n, in, s0, b0, sb);
    double[][] pre = new double[depth][];
    double[][] phi = new double[depth][];
    for (int l = 0; l < depth; l++) {
      pre[l] = affine(u[l], h[l], n, n, s, c[l], sb);
      phi[l] = new double[n];
      for (int i = 0; i < n; i++) {
        phi[l][i] = activation(pre[l][i]);
      }
      double g = spec.alpha(l + 1) * spec.survival(l + 1) * s;
      double[] branch = affine(v[l], phi[l], n, n, g, null, 0);
      h[l + 1] = new double[n];
      for (int i = 0; i < n; i++) {
        h[l + 1][i] = (spec.residual() ? h[l][i] : 0) + branch[i];
      }
    }
    // Layers in order: stem, then per block U and V, then the readout.
    Trace t = new Trace();
    t.delta = new double[2 * depth + 2][];
    t.act = new double[2 * depth + 2][];
    t.hLast = h[depth];
    t.delta[2 * depth + 1] = new double[] {1.0};
    t.act[2 * depth + 1] = h[depth];
    double[] dh = new double[n];
    for (int i = 0; i < n; i++) {
      dh[i] = s * wOut[i];
    }
    for (int l = depth - 1; l >= 0; l--) {
      double g = spec.alpha(l + 1) * spec.survival(l + 1) * s;
      t.delta[2 * l + 2] = dh;
      t.act[2 * l + 2] = phi[l];
      double[] du = transposeTimes(v[l], dh, n, n, g);
      for (int i = 0; i < n; i++) {
        du[i] *= derivative(pre[l][i]);
      }
      t.delta[2 * l + 1] = du;
      t.act[2 * l + 1] = h[l];
      double[] back = transposeTimes(u[l], du, n, n, s);
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        next[i] = (spec.residual() ? dh[i] : 0) + back[i];
      }
      dh = next;
    }
    t.delta[0] = dh;
    t.act[0] = a0;
    return t;
  }

  /** Scale² of each weight layer's W (stem, U_1, V_1, …, readout) and whether it has a bias. */
  private double[] scales() {
    int depth = spec.depth();
    double sw = spec.sigmaW();
    double s = sw / Math.sqrt(n);
    int m = spec.fourierFeatures();
    double[] sc = new double[2 * depth + 2];
    sc[0] = sw / Math.sqrt(m > 0 ? m : spec.inputDim());
    for (int l = 0; l < depth; l++) {
      sc[2 * l + 1] = s;
      sc[2 * l + 2] = spec.alpha(l + 1) * spec.survival(l + 1) * s;
    }
    sc[2 * depth + 1] = s;
    return sc;
  }

  /** {NNGP, NTK}, each N×N row-major, on inputs x (N×d). */
  double[][] kernels(double[] x, int count) {
    int d = spec.inputDim();
    Trace[] tr = new Trace[count];
    for (int i = 0; i < count; i++) {
      double[] xi = new double[d];
      System.arraycopy(x, i * d, xi, 0, d);
      tr[i] = trace(xi, d);
    }
    double[] sc = scales();
    int depth = spec.depth();
    double b2 = spec.sigmaB() * spec.sigmaB();
    double w2 = spec.sigmaW() * spec.sigmaW();
    double[] nngp = new double[count * count];
    double[] ntk = new double[count * count];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < count; j++) {
        double theta = 0;
        for (int layer = 0; layer < sc.length; layer++) {
          double dd = dot(tr[i].delta[layer], tr[j].delta[layer]);
          double aa = dot(tr[i].act[layer], tr[j].act[layer]);
          theta += sc[layer] * sc[layer] * dd * aa;
          boolean hasBias = layer == 0 || layer == sc.length - 1 || layer % 2 == 1;
          if (hasBias) {
            theta += b2 * dd;
          }
        }
        ntk[i * count + j] = theta;
        nngp[i * count + j] = w2 * dot(tr[i].hLast, tr[j].hLast) / n + b2;
      }
    }
    return new double[][] {nngp, ntk};
  }

  private double activation(double z) {
    return spec.activation() == Activation.RELU ? Math.max(z, 0) : SpecialFunctions.erf(z);
  }

  private double derivative(double z) {
    return spec.activation() == Activation.RELU
        ? (z > 0 ? 1 : 0)
        : 2 / Math.sqrt(Math.PI) * Math.exp(-z * z);
  }

  private static double[] affine(
      double[] w, double[] a, int rows, int cols, double s, double[] bias, double sb) {
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      double acc = 0;
      for (int j = 0; j < cols; j++) {
        acc += w[i * cols + j] * a[j];
      }
      y[i] = s * acc + (bias == null ? 0 : sb * bias[i]);
    }
    return y;
  }

  private static double[] transposeTimes(double[] w, double[] g, int rows, int cols, double s) {
    double[] y = new double[cols];
    for (int i = 0; i < rows; i++) {
      double gi = s * g[i];
      for (int j = 0; j < cols; j++) {
        y[j] += w[i * cols + j] * gi;
      }
    }
    return y;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
