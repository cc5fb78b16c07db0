package org.ntkengine.bench;

import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.model.Gradient;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.Parameters;

/**
 * The benchmark network ({@link BenchModels}) with a batch of inputs and targets on one backend,
 * for the forward and backward pass benchmarks and their float64 checks. Close it to release the
 * backend.
 */
final class PassWorkload implements AutoCloseable {
  final Backend backend;
  final Precision precision;
  final ModelSpec spec;
  final int batch;
  final double[] hostX;
  final double[] hostY;
  final Network network;
  final Matrix x;
  final Matrix y;

  PassWorkload(String backendName, String precisionName, int width, int batch) {
    this.precision = Precision.parse(precisionName);
    this.spec = BenchModels.spec(width);
    this.batch = batch;
    this.hostX = BenchModels.inputs(batch, precision);
    this.hostY = BenchModels.targets(batch, precision);
    this.backend = Backends.open(backendName);
    Network net = null;
    Matrix mx = null;
    Matrix my;
    try {
      net = new Network(backend, precision, BenchModels.parameters(spec, precision));
      mx = BenchData.upload(backend, hostX, batch, spec.inputDim(), precision);
      my = BenchData.upload(backend, hostY, batch, spec.outputs(), precision);
    } catch (RuntimeException e) {
      if (mx != null) {
        mx.close();
      }
      if (net != null) {
        net.close();
      }
      backend.close();
      throw e;
    }
    this.network = net;
    this.x = mx;
    this.y = my;
  }

  /** f(X) on the backend under test, downloaded. */
  double[] forward() {
    try (Matrix f = network.forward(x)) {
      return BenchData.download(backend, f);
    }
  }

  /** The loss gradient on the backend under test, every tensor concatenated in layout order. */
  double[] gradient() {
    try (Gradient g = network.lossGradient(x, y)) {
      return concatenate(g);
    }
  }

  /** The relative error of f(X) against the float64 reference network. */
  double forwardError() {
    double[] got = forward();
    try (Reference ref = new Reference()) {
      try (Matrix f = ref.network.forward(ref.x)) {
        return BenchData.relativeError(got, BenchData.download(ref.backend, f));
      }
    }
  }

  /** The relative error of the loss gradient against the float64 reference network. */
  double gradientError() {
    double[] got = gradient();
    try (Reference ref = new Reference();
        Gradient g = ref.network.lossGradient(ref.x, ref.y)) {
      return BenchData.relativeError(got, concatenate(g));
    }
  }

  private static double[] concatenate(Gradient g) {
    int total = 0;
    for (String name : g.names()) {
      total += g.download(name).length;
    }
    double[] all = new double[total];
    int at = 0;
    for (String name : g.names()) {
      double[] t = g.download(name);
      System.arraycopy(t, 0, all, at, t.length);
      at += t.length;
    }
    return all;
  }

  /** The same network and batch on the float64 reference backend. */
  private final class Reference implements AutoCloseable {
    final ReferenceBackend backend = new ReferenceBackend();
    final Network network;
    final Matrix x;
    final Matrix y;

    Reference() {
      Parameters p = BenchModels.parameters(spec, precision);
      network = new Network(backend, Precision.FP64, p);
      x = BenchData.upload(backend, hostX, batch, spec.inputDim(), Precision.FP64);
      y = BenchData.upload(backend, hostY, batch, spec.outputs(), Precision.FP64);
    }

    @Override
    public void close() {
      y.close();
      x.close();
      network.close();
      backend.close();
    }
  }

  /** Throws when an error exceeds what the precision allows. */
  void check(String what, double error) {
    BenchData.report(error, Double.NaN);
    if (!(error <= (precision.isSingle() ? 1e-4 : 1e-12))) {
      throw new IllegalStateException(
          backend.name() + " " + precision + " " + what + " is wrong: relative error " + error);
    }
  }

  @Override
  public void close() {
    y.close();
    x.close();
    network.close();
    backend.close();
  }
}
