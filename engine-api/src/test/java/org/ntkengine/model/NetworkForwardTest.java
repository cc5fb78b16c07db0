package org.ntkengine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;

/**
 * The forward pass against a plain-loop transcription of the equations in {@link ModelSpec}, and
 * the gradient step against its definition.
 */
class NetworkForwardTest {
  private static final Backend BE = new ReferenceBackend();

  /** f(x) for one sample, written out from the spec's equations with scalar loops. */
  private static double[] oracle(Parameters p, double[] x, double[] xi) {
    ModelSpec s = p.spec();
    int n = s.width();
    double[] h = new double[n];
    if (s.hasFourierFeatures()) {
      int m = s.fourierFeatures();
      double[] z = p.get("fourier");
      double[] wc = p.get("stem.cos.weight");
      double[] ws = p.get("stem.sin.weight");
      double[] g = new double[2 * m];
      for (int j = 0; j < m; j++) {
        double bx = 0;
        for (int i = 0; i < s.inputDim(); i++) {
          bx += s.fourierSigma() * z[j * s.inputDim() + i] * x[i];
        }
        g[j] = Math.cos(2 * Math.PI * bx);
        g[m + j] = Math.sin(2 * Math.PI * bx);
      }
      for (int o = 0; o < n; o++) {
        double acc = 0;
        for (int j = 0; j < m; j++) {
          acc += wc[o * m + j] * g[j] + ws[o * m + j] * g[m + j];
        }
        h[o] = s.sigmaW() / Math.sqrt(m) * acc;
      }
    } else {
      double[] w = p.get("stem.weight");
      for (int o = 0; o < n; o++) {
        double acc = 0;
        for (int i = 0; i < s.inputDim(); i++) {
          acc += w[o * s.inputDim() + i] * x[i];
        }
        h[o] = s.sigmaW() / Math.sqrt(s.inputDim()) * acc;
      }
    }
    double[] b0 = p.get("stem.bias");
    for (int o = 0; o < n; o++) {
      h[o] += s.sigmaB() * b0[o];
    }
    for (int l = 1; l <= s.depth(); l++) {
      double[] u = dense(p.get("block" + l + ".u.weight"), h, s.sigmaW() / Math.sqrt(n));
      double[] c = p.get("block" + l + ".u.bias");
      for (int o = 0; o < n; o++) {
        u[o] = s.activation().function().apply(u[o] + s.sigmaB() * c[o]);
      }
      double[] v = dense(p.get("block" + l + ".v.weight"), u, s.sigmaW() / Math.sqrt(n));
      for (int o = 0; o < n; o++) {
        h[o] = (s.residual() ? h[o] : 0) + s.alpha(l) * xi[l - 1] * v[o];
      }
    }
    double[] f = dense(p.get("readout.weight"), h, s.sigmaW() / Math.sqrt(n));
    double[] bo = p.get("readout.bias");
    for (int c = 0; c < f.length; c++) {
      f[c] += s.sigmaB() * bo[c];
    }
    return f;
  }

  private static double[] dense(double[] w, double[] a, double scale) {
    int in = a.length;
    double[] y = new double[w.length / in];
    for (int o = 0; o < y.length; o++) {
      double acc = 0;
      for (int i = 0; i < in; i++) {
        acc += w[o * in + i] * a[i];
      }
      y[o] = scale * acc;
    }
    return y;
  }

  @Test
  void forwardMatchesTheEquations() {
    ModelSpec[] specs = {
      ModelSpec.builder(3)
          .fourierFeatures(5)
          .fourierSigma(0.6)
          .width(8)
          .depth(3)
          .outputs(2)
          .sigmaB(0.5)
          .linearSurvival(0.5)
          .build(),
      ModelSpec.builder(4)
          .fourierFeatures(0)
          .width(6)
          .depth(2)
          .activation(Activation.ERF)
          .residual(false)
          .alphas(0.8, 1.7)
          .build(),
      ModelSpec.builder(2).fourierFeatures(3).width(5).depth(0).outputs(3).build()
    };
    for (ModelSpec spec : specs) {
      Parameters p = Parameters.initialize(spec, 13);
      int b = 5;
      double[] x = new SeededRandom(2).gaussians(new double[b * spec.inputDim()]);
      double[][] masks = {StochasticDepth.evaluation(spec), StochasticDepth.sample(spec, 4, 0)};
      for (double[] xi : masks) {
        double[] f = new double[b * spec.outputs()];
        for (Precision prec : new Precision[] {Precision.FP64, Precision.FP32}) {
          try (Network net = new Network(BE, prec, p);
              Matrix mx = Network.upload(BE, prec, x, b, spec.inputDim());
              Matrix mf = net.forward(mx, xi)) {
            BE.download(mf, f);
          }
          for (int i = 0; i < b; i++) {
            double[] xi1 =
                java.util.Arrays.copyOfRange(x, i * spec.inputDim(), (i + 1) * spec.inputDim());
            double[] expected = oracle(p, xi1, xi);
            for (int c = 0; c < spec.outputs(); c++) {
              double tol = prec == Precision.FP64 ? 1e-12 : 1e-4;
              assertEquals(
                  expected[c],
                  f[i * spec.outputs() + c],
                  tol * (1 + Math.abs(expected[c])),
                  spec + " sample " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void trainingMasksAreBernoulliWithTheSurvivalProbabilities() {
    ModelSpec spec = ModelSpec.builder(1).depth(4).survivals(1.0, 0.75, 0.5, 0.25).build();
    int[] kept = new int[4];
    int draws = 4000;
    for (int i = 0; i < draws; i++) {
      double[] xi = StochasticDepth.sample(spec, 3, i);
      for (int l = 0; l < 4; l++) {
        assertTrue(xi[l] == 0 || xi[l] == 1);
        kept[l] += (int) xi[l];
      }
    }
    assertEquals(draws, kept[0]);
    // Binomial standard deviation at most √(4000/4) ≈ 32; allow five of them.
    assertEquals(3000, kept[1], 160);
    assertEquals(2000, kept[2], 160);
    assertEquals(1000, kept[3], 160);
  }

  @Test
  void stepMovesParametersAgainstTheGradientAndLowersTheLoss() {
    ModelSpec spec = ModelSpec.builder(2).fourierFeatures(4).width(16).depth(2).build();
    Parameters p = Parameters.initialize(spec, 3);
    double[] x = new SeededRandom(8).gaussians(new double[10 * 2]);
    double[] y = new SeededRandom(9).gaussians(new double[10]);
    try (Network net = new Network(BE, Precision.FP64, p);
        Matrix mx = Network.upload(BE, Precision.FP64, x, 10, 2);
        Matrix my = Network.upload(BE, Precision.FP64, y, 10, 1)) {
      double before = net.loss(mx, my);
      try (Gradient g = net.lossGradient(mx, my)) {
        double[] w = p.get("block1.u.weight");
        double[] gw = g.download("block1.u.weight");
        net.step(g, 0.05);
        double[] after = net.parameters().get("block1.u.weight");
        for (int i = 0; i < w.length; i++) {
          assertEquals(w[i] - 0.05 * gw[i], after[i], 1e-15);
        }
        assertEquals(p.get("fourier")[0], net.parameters().get("fourier")[0], 0.0, "B is fixed");
        // First-order decrease: loss falls by about η·‖g‖².
        double predicted = 0.05 * g.norm() * g.norm();
        double actual = before - net.loss(mx, my);
        assertTrue(actual > 0.5 * predicted, "loss fell by " + actual + ", predicted " + predicted);
        net.load(p);
        assertEquals(before, net.loss(mx, my), 0.0, "load restores the initial parameters");
      }
    }
  }
}
