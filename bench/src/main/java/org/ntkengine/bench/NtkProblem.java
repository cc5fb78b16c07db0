package org.ntkengine.bench;

import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.ntk.NtkMethod;

/**
 * The empirical NTK Θ(X, X) of the benchmark network ({@link BenchModels}) on one backend: the
 * network, the uploaded inputs and the NTK configuration, shared by the structured and explicit
 * benchmarks and their accuracy checks. Close it to release the backend.
 */
final class NtkProblem implements AutoCloseable {
  final Backend backend;
  final Precision precision;
  final ModelSpec spec;
  final int samples;
  final double[] hostX;
  final Network network;
  final Matrix x;
  final EmpiricalNtk ntk;

  NtkProblem(String backendName, String precisionName, int width, int samples, NtkMethod method) {
    this.precision = Precision.parse(precisionName);
    this.spec = BenchModels.spec(width);
    this.samples = samples;
    this.hostX = BenchModels.inputs(samples, precision);
    this.backend = Backends.open(backendName);
    Network net = null;
    Matrix mx = null;
    try {
      net = new Network(backend, precision, BenchModels.parameters(spec, precision));
      mx = BenchData.upload(backend, hostX, samples, spec.inputDim(), precision);
    } catch (RuntimeException e) {
      if (net != null) {
        net.close();
      }
      backend.close();
      throw e;
    }
    this.network = net;
    this.x = mx;
    // One row tile holding every sample: the flop counts in BenchModels assume it.
    this.ntk = new EmpiricalNtk(network).withMethod(method).withRowTile(samples);
  }

  /** Computes Θ once and returns its relative Frobenius error against the float64 structured Θ. */
  double relativeError() {
    double[] theta;
    try (Matrix t = ntk.kernel(x)) {
      theta = BenchData.download(backend, t);
    }
    double[] ref =
        BenchModels.referenceKernel(spec, BenchModels.parameters(spec, precision), hostX, samples);
    return BenchData.relativeError(theta, ref);
  }

  /** Throws when the error exceeds what the precision allows. */
  void check(String what) {
    double error = relativeError();
    BenchData.report(error, Double.NaN);
    if (!(error <= (precision.isSingle() ? 1e-3 : 1e-10))) {
      throw new IllegalStateException(
          backend.name() + " " + precision + " " + what + " is wrong: relative error " + error);
    }
  }

  /** The measured kernel, synchronised; returns an element so the work cannot be eliminated. */
  double kernel() {
    try (Matrix t = ntk.kernel(x)) {
      return BenchData.sync(backend, t);
    }
  }

  /** The kernel with its transfers: upload X, compute Θ, download it. */
  double kernelWithTransfers(double[] hostTheta) {
    backend.upload(hostX, x);
    try (Matrix t = ntk.kernel(x)) {
      backend.download(t, hostTheta);
    }
    return hostTheta[hostTheta.length - 1];
  }

  @Override
  public void close() {
    x.close();
    network.close();
    backend.close();
  }
}
