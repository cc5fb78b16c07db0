package org.ntkengine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.Transpose;
import org.ntkengine.backend.UnaryOp;

/**
 * An NTK-ECRN network with its parameters resident on a {@link Backend}: batched forward and
 * backward passes (rows = samples), the gradient of the squared loss, gradient steps, and the
 * per-layer factors of the Jacobian that the empirical NTK is built from. See {@link ModelSpec} for
 * the equations and {@link Parameters} for the tensors.
 *
 * <p>Every pass takes a stochastic-depth mask ξ (one value per block, see {@link StochasticDepth});
 * the overloads without one use evaluation mode, ξ_l = p_l.
 *
 * <p>Not thread-safe (a step mutates the parameters). Close it to release the parameter matrices.
 */
public final class Network implements AutoCloseable {
  private static final double TWO_PI = 2 * Math.PI;

  private final Backend backend;
  private final Precision precision;
  private final ModelSpec spec;
  private final List<ParameterTensor> layout;
  private final Map<String, Matrix> tensors = new LinkedHashMap<>();

  /**
   * Uploads parameters to a backend.
   *
   * @param backend the backend that runs the passes
   * @param precision the element format of parameters, activations and kernels
   * @param parameters the values (their spec is the architecture)
   * @throws IllegalArgumentException when the backend does not support the precision
   */
  public Network(Backend backend, Precision precision, Parameters parameters) {
    if (!backend.precisions().contains(precision)) {
      throw new IllegalArgumentException(
          "backend "
              + backend.name()
              + " does not support "
              + precision
              + ": use one of "
              + backend.precisions());
    }
    this.backend = backend;
    this.precision = precision;
    this.spec = parameters.spec();
    this.layout = Parameters.layout(spec);
    for (ParameterTensor t : layout) {
      Matrix m = backend.allocate(t.rows(), t.cols(), precision);
      backend.upload(parameters.tensor(t.name()), m);
      tensors.put(t.name(), m);
    }
  }

  /**
   * Draws parameters from a seed and uploads them.
   *
   * @param backend the backend
   * @param precision the element format
   * @param spec the architecture
   * @param seed the seed for {@link Parameters#initialize}
   * @return the network
   */
  public static Network initialize(
      Backend backend, Precision precision, ModelSpec spec, long seed) {
    return new Network(backend, precision, Parameters.initialize(spec, seed));
  }

  /**
   * Copies host data into a new matrix on a backend.
   *
   * @param backend the backend
   * @param precision the element format
   * @param data rows·cols values, row-major
   * @param rows rows
   * @param cols columns
   * @return the matrix; the caller closes it
   */
  public static Matrix upload(
      Backend backend, Precision precision, double[] data, int rows, int cols) {
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + data.length);
    }
    Matrix m = backend.allocate(rows, cols, precision);
    backend.upload(data, m);
    return m;
  }

  /**
   * Returns the architecture.
   *
   * @return the spec
   */
  public ModelSpec spec() {
    return spec;
  }

  /**
   * Returns the backend the network runs on.
   *
   * @return the backend
   */
  public Backend backend() {
    return backend;
  }

  /**
   * Returns the element format.
   *
   * @return the precision
   */
  public Precision precision() {
    return precision;
  }

  /**
   * Returns the parameter tensors' names and shapes.
   *
   * @return the layout
   */
  public List<ParameterTensor> layout() {
    return layout;
  }

  /**
   * Downloads the current parameters to the host (in float64).
   *
   * @return a snapshot
   */
  public Parameters parameters() {
    Map<String, double[]> v = new LinkedHashMap<>();
    for (ParameterTensor t : layout) {
      double[] a = new double[t.size()];
      backend.download(tensors.get(t.name()), a);
      v.put(t.name(), a);
    }
    return Parameters.of(spec, v);
  }

  /**
   * Overwrites every parameter with new values (e.g. to restart training from the initial ones).
   *
   * @param values parameters of the same architecture
   * @throws IllegalArgumentException when their spec differs from this network's
   */
  public void load(Parameters values) {
    if (!values.spec().equals(spec)) {
      throw new IllegalArgumentException(
          "parameters for " + values.spec() + " do not fit this network, " + spec);
    }
    for (ParameterTensor t : layout) {
      backend.upload(values.tensor(t.name()), tensors.get(t.name()));
    }
  }

  // ---- forward

  /**
   * Computes f(X) in evaluation mode.
   *
   * @param x X, b×d, rows are samples
   * @return f(X), b×k; the caller closes it
   */
  public Matrix forward(Matrix x) {
    return forward(x, StochasticDepth.evaluation(spec));
  }

  /**
   * Computes f(X) with a given stochastic-depth mask.
   *
   * @param x X, b×d
   * @param mask ξ_1..ξ_L
   * @return f(X), b×k; the caller closes it
   */
  public Matrix forward(Matrix x, double[] mask) {
    try (Trace t = trace(x, mask)) {
      return t.take(t.f);
    }
  }

  /** The activations of one forward pass, kept for the backward pass. */
  private final class Trace implements AutoCloseable {
    final Matrix x;
    final double[] xi;
    final List<Matrix> owned = new ArrayList<>();
    Matrix cos;
    Matrix sin;
    final Matrix[] h = new Matrix[spec.depth() + 1];
    final Matrix[] u = new Matrix[spec.depth() + 1];
    final Matrix[] phi = new Matrix[spec.depth() + 1];
    Matrix f;

    Trace(Matrix x, double[] xi) {
      this.x = x;
      this.xi = xi;
    }

    Matrix alloc(int cols) {
      Matrix m = backend.allocate(x.rows(), cols, precision);
      owned.add(m);
      return m;
    }

    Matrix take(Matrix m) {
      owned.remove(m);
      return m;
    }

    @Override
    public void close() {
      for (Matrix m : owned) {
        m.close();
      }
      owned.clear();
    }
  }

  private double stemScale() {
    int fanIn = spec.hasFourierFeatures() ? spec.fourierFeatures() : spec.inputDim();
    return spec.sigmaW() / Math.sqrt(fanIn);
  }

  private double hiddenScale() {
    return spec.sigmaW() / Math.sqrt(spec.width());
  }

  private double fourierScale() {
    return TWO_PI * spec.fourierSigma();
  }

  private Matrix w(String name) {
    return tensors.get(name);
  }

  private Trace trace(Matrix x, double[] mask) {
    double[] xi = StochasticDepth.check(spec, mask);
    if (x.cols() != spec.inputDim()) {
      throw new IllegalArgumentException(
          "inputs "
              + x.shape()
              + " do not fit the network: expected "
              + spec.inputDim()
              + " columns (d)");
    }
    int n = spec.width();
    double sn = hiddenScale();
    Trace t = new Trace(x, xi);
    try {
      // Stem: h_0 = s_0·A·W_0ᵀ + σ_b·b_0, with A = [cos P | sin P] kept as two halves.
      Matrix h0 = t.alloc(n);
      if (spec.hasFourierFeatures()) {
        int m = spec.fourierFeatures();
        Matrix p = t.alloc(m);
        backend.gemm(Transpose.NO, Transpose.YES, fourierScale(), x, w("fourier"), 0.0, p);
        t.cos = t.alloc(m);
        t.sin = t.alloc(m);
        backend.map(UnaryOp.COS, p, t.cos);
        backend.map(UnaryOp.SIN, p, t.sin);
        t.owned.remove(p);
        p.close();
        backend.gemm(
            Transpose.NO, Transpose.YES, stemScale(), t.cos, w("stem.cos.weight"), 0.0, h0);
        backend.gemm(
            Transpose.NO, Transpose.YES, stemScale(), t.sin, w("stem.sin.weight"), 1.0, h0);
      } else {
        backend.gemm(Transpose.NO, Transpose.YES, stemScale(), x, w("stem.weight"), 0.0, h0);
      }
      backend.addRowVector(spec.sigmaB(), w("stem.bias"), h0);
      t.h[0] = h0;

      for (int l = 1; l <= spec.depth(); l++) {
        Matrix ul = t.alloc(n);
        backend.gemm(
            Transpose.NO, Transpose.YES, sn, t.h[l - 1], w("block" + l + ".u.weight"), 0.0, ul);
        backend.addRowVector(spec.sigmaB(), w("block" + l + ".u.bias"), ul);
        Matrix pl = t.alloc(n);
        backend.map(spec.activation().function(), ul, pl);
        Matrix hl = t.alloc(n);
        double branch = spec.alpha(l) * xi[l - 1] * sn;
        if (spec.residual()) {
          backend.copy(t.h[l - 1], hl);
        }
        backend.gemm(
            Transpose.NO,
            Transpose.YES,
            branch,
            pl,
            w("block" + l + ".v.weight"),
            spec.residual() ? 1.0 : 0.0,
            hl);
        t.u[l] = ul;
        t.phi[l] = pl;
        t.h[l] = hl;
      }

      t.f = t.alloc(spec.outputs());
      backend.gemm(
          Transpose.NO, Transpose.YES, sn, t.h[spec.depth()], w("readout.weight"), 0.0, t.f);
      backend.addRowVector(spec.sigmaB(), w("readout.bias"), t.f);
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  // ---- backward

  /**
   * Back-propagates a cotangent G = ∂ℓ/∂f through a trace and returns the terms (cotangent of each
   * layer's output with the weights feeding it), in layout order. New matrices go to {@code sink}.
   */
  private List<LayerFactors.Term> backward(Trace t, Matrix g, List<Matrix> sink) {
    int b = t.x.rows();
    int n = spec.width();
    int depth = spec.depth();
    double sn = hiddenScale();
    List<LayerFactors.Term> readoutFirst = new ArrayList<>();

    readoutFirst.add(
        term(
            g, List.of(new LayerFactors.Factor("readout.weight", t.h[depth], sn)), "readout.bias"));
    Matrix dh = alloc(b, n, sink);
    backend.gemm(Transpose.NO, Transpose.NO, sn, g, w("readout.weight"), 0.0, dh);

    for (int l = depth; l >= 1; l--) {
      // h_l = h_{l−1} + α_l·ξ_l·s·V·φ(u): the V layer's output cotangent is α_l·ξ_l·δh_l.
      Matrix dv = alloc(b, n, sink);
      backend.axpby(spec.alpha(l) * t.xi[l - 1], dh, 0.0, dv);
      Matrix du = alloc(b, n, sink);
      backend.gemm(Transpose.NO, Transpose.NO, sn, dv, w("block" + l + ".v.weight"), 0.0, du);
      Matrix deriv = backend.allocate(b, n, precision);
      try {
        backend.map(spec.activation().derivative(), t.u[l], deriv);
        backend.hadamard(1.0, du, deriv, 0.0, du);
      } finally {
        deriv.close();
      }
      Matrix prev = alloc(b, n, sink);
      if (spec.residual()) {
        backend.copy(dh, prev);
      }
      backend.gemm(
          Transpose.NO,
          Transpose.NO,
          sn,
          du,
          w("block" + l + ".u.weight"),
          spec.residual() ? 1.0 : 0.0,
          prev);
      readoutFirst.add(
          term(
              dv, List.of(new LayerFactors.Factor("block" + l + ".v.weight", t.phi[l], sn)), null));
      readoutFirst.add(
          term(
              du,
              List.of(new LayerFactors.Factor("block" + l + ".u.weight", t.h[l - 1], sn)),
              "block" + l + ".u.bias"));
      // δh_l is no longer needed once δh_{l−1} exists; it was never handed out.
      sink.remove(dh);
      dh.close();
      dh = prev;
    }

    double s0 = stemScale();
    if (spec.hasFourierFeatures()) {
      readoutFirst.add(
          term(
              dh,
              List.of(
                  new LayerFactors.Factor("stem.cos.weight", t.cos, s0),
                  new LayerFactors.Factor("stem.sin.weight", t.sin, s0)),
              "stem.bias"));
      if (spec.trainableFourier()) {
        int m = spec.fourierFeatures();
        // γ = [cos P; sin P]: δP = −sin P ⊙ δcos + cos P ⊙ δsin, δcos = s_0·δh_0·W_cos.
        Matrix dp = alloc(b, m, sink);
        Matrix tmp = backend.allocate(b, m, precision);
        try {
          backend.gemm(Transpose.NO, Transpose.NO, s0, dh, w("stem.cos.weight"), 0.0, tmp);
          backend.hadamard(-1.0, t.sin, tmp, 0.0, dp);
          backend.gemm(Transpose.NO, Transpose.NO, s0, dh, w("stem.sin.weight"), 0.0, tmp);
          backend.hadamard(1.0, t.cos, tmp, 1.0, dp);
        } finally {
          tmp.close();
        }
        readoutFirst.add(
            term(dp, List.of(new LayerFactors.Factor("fourier", t.x, fourierScale())), null));
      }
    } else {
      readoutFirst.add(
          term(dh, List.of(new LayerFactors.Factor("stem.weight", t.x, s0)), "stem.bias"));
    }
    List<LayerFactors.Term> ordered = new ArrayList<>(readoutFirst);
    java.util.Collections.reverse(ordered);
    return ordered;
  }

  private LayerFactors.Term term(Matrix delta, List<LayerFactors.Factor> factors, String bias) {
    return new LayerFactors.Term(
        new Matrix[] {delta}, factors, bias, bias == null ? 0.0 : spec.sigmaB());
  }

  private Matrix alloc(int rows, int cols, List<Matrix> sink) {
    Matrix m = backend.allocate(rows, cols, precision);
    sink.add(m);
    return m;
  }

  // ---- loss and gradients

  /**
   * Computes the squared loss (1/2b)·‖f(X) − Y‖²_F in evaluation mode.
   *
   * @param x X, b×d
   * @param y Y, b×k
   * @return the loss
   */
  public double loss(Matrix x, Matrix y) {
    return loss(x, y, StochasticDepth.evaluation(spec));
  }

  /**
   * Computes the squared loss (1/2b)·‖f(X) − Y‖²_F with a given mask.
   *
   * @param x X, b×d
   * @param y Y, b×k
   * @param mask ξ_1..ξ_L
   * @return the loss
   */
  public double loss(Matrix x, Matrix y, double[] mask) {
    checkTargets(x, y);
    try (Matrix f = forward(x, mask)) {
      backend.axpby(-1.0, y, 1.0, f);
      double r = backend.norm(f);
      return r * r / (2.0 * x.rows());
    }
  }

  private void checkTargets(Matrix x, Matrix y) {
    if (y.rows() != x.rows() || y.cols() != spec.outputs()) {
      throw new IllegalArgumentException(
          "targets "
              + y.shape()
              + " do not fit inputs "
              + x.shape()
              + ": expected "
              + x.rows()
              + "x"
              + spec.outputs());
    }
  }

  /**
   * Computes the gradient of the loss (1/2b)·‖f(X) − Y‖²_F with respect to every trainable tensor,
   * in evaluation mode.
   *
   * @param x X, b×d
   * @param y Y, b×k
   * @return the gradient (with the loss); the caller closes it
   */
  public Gradient lossGradient(Matrix x, Matrix y) {
    return lossGradient(x, y, StochasticDepth.evaluation(spec));
  }

  /**
   * Computes the gradient of (1/2b)·‖f(X) − Y‖²_F with a given stochastic-depth mask (a training
   * step draws one with {@link StochasticDepth#sample}).
   *
   * @param x X, b×d
   * @param y Y, b×k
   * @param mask ξ_1..ξ_L
   * @return the gradient (with the loss at the current parameters); the caller closes it
   */
  public Gradient lossGradient(Matrix x, Matrix y, double[] mask) {
    checkTargets(x, y);
    int b = x.rows();
    List<Matrix> sink = new ArrayList<>();
    Map<String, Matrix> grads = new LinkedHashMap<>();
    try (Trace t = trace(x, mask)) {
      Matrix g = alloc(b, spec.outputs(), sink);
      backend.copy(t.f, g);
      backend.axpby(-1.0, y, 1.0, g);
      double r = backend.norm(g);
      double loss = r * r / (2.0 * b);
      backend.axpby(1.0 / b, g, 0.0, g);
      for (LayerFactors.Term term : backward(t, g, sink)) {
        Matrix delta = term.deltas()[0];
        for (LayerFactors.Factor f : term.factors()) {
          Matrix a = f.activations();
          Matrix dw = backend.allocate(delta.cols(), a.cols(), precision);
          grads.put(f.name(), dw);
          backend.gemm(Transpose.YES, Transpose.NO, f.scale(), delta, a, 0.0, dw);
        }
        if (term.biasName() != null) {
          Matrix db = backend.allocate(1, delta.cols(), precision);
          grads.put(term.biasName(), db);
          backend.columnSums(term.biasScale(), delta, 0.0, db);
        }
      }
      Map<String, Matrix> ordered = new LinkedHashMap<>();
      for (ParameterTensor pt : layout) {
        if (grads.containsKey(pt.name())) {
          ordered.put(pt.name(), grads.get(pt.name()));
        }
      }
      Gradient result = new Gradient(backend, ordered, loss);
      grads.clear();
      return result;
    } finally {
      for (Matrix m : sink) {
        m.close();
      }
      for (Matrix m : grads.values()) {
        m.close();
      }
    }
  }

  /**
   * Applies a gradient-descent step θ ← θ − η·g to every tensor the gradient holds.
   *
   * @param gradient g, from {@link #lossGradient} on this network
   * @param learningRate η
   * @throws IllegalArgumentException when a tensor's shape differs from the parameter's
   */
  public void step(Gradient gradient, double learningRate) {
    for (String name : gradient.names()) {
      Matrix p = tensors.get(name);
      Matrix g = gradient.matrix(name);
      if (p == null || p.rows() != g.rows() || p.cols() != g.cols()) {
        throw new IllegalArgumentException(
            "gradient tensor " + name + " " + g.shape() + " does not match this network's");
      }
      backend.axpby(-learningRate, g, 1.0, p);
    }
  }

  // ---- Jacobian factors

  /**
   * Computes the Jacobian factors of every output on a batch in evaluation mode.
   *
   * @param x X, b×d
   * @return the factors; the caller closes them
   */
  public LayerFactors factors(Matrix x) {
    return factors(x, StochasticDepth.evaluation(spec));
  }

  /**
   * Computes the Jacobian factors of every output on a batch: one forward pass and one backward
   * pass per output c with the cotangent e_c for every sample.
   *
   * @param x X, b×d; the factors refer to it (as the input layer's activations), so it must stay
   *     open while they are used
   * @param mask ξ_1..ξ_L
   * @return the factors; the caller closes them
   */
  public LayerFactors factors(Matrix x, double[] mask) {
    int b = x.rows();
    int k = spec.outputs();
    List<Matrix> owned = new ArrayList<>();
    Trace t = trace(x, mask);
    // The trace's activations are the factors' A matrices: LayerFactors owns them from here on.
    owned.addAll(t.owned);
    t.owned.clear();
    try {
      List<List<LayerFactors.Term>> perOutput = new ArrayList<>();
      double[] e = new double[b * k];
      for (int c = 0; c < k; c++) {
        Matrix g = alloc(b, k, owned);
        java.util.Arrays.fill(e, 0.0);
        for (int i = 0; i < b; i++) {
          e[i * k + c] = 1.0;
        }
        backend.upload(e, g);
        perOutput.add(backward(t, g, owned));
      }
      List<LayerFactors.Term> terms = new ArrayList<>();
      for (int j = 0; j < perOutput.get(0).size(); j++) {
        Matrix[] deltas = new Matrix[k];
        for (int c = 0; c < k; c++) {
          deltas[c] = perOutput.get(c).get(j).deltas()[0];
        }
        LayerFactors.Term first = perOutput.get(0).get(j);
        terms.add(
            new LayerFactors.Term(deltas, first.factors(), first.biasName(), first.biasScale()));
      }
      return new LayerFactors(backend, b, k, terms, owned);
    } catch (RuntimeException ex) {
      for (Matrix m : owned) {
        m.close();
      }
      throw ex;
    }
  }

  @Override
  public void close() {
    for (Matrix m : tensors.values()) {
      m.close();
    }
  }
}
