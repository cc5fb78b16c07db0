package org.ntkengine.backend;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain-Java backend: straightforward loops with float64 accumulation even for FP32 data. It is
 * the oracle every other backend is tested against and the fallback where nothing faster loads.
 * Stateless apart from its identity, so it is safe to share between threads.
 */
public final class ReferenceBackend implements Backend {
  /** The backend's name. */
  public static final String NAME = "reference";

  private final AtomicLong live = new AtomicLong();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Precision> precisions() {
    return EnumSet.of(Precision.FP32, Precision.FP64);
  }

  private HostMatrix host(Matrix m) {
    return HostMatrix.of(m, this);
  }

  @Override
  public Matrix allocate(int rows, int cols, Precision precision) {
    if (!precisions().contains(precision)) {
      throw new IllegalArgumentException(
          "backend " + NAME + " does not support " + precision + ": use FP32 or FP64");
    }
    return HostMatrix.allocate(this, rows, cols, precision, live);
  }

  @Override
  public void upload(double[] source, Matrix target) {
    host(target).copyFrom(source);
  }

  @Override
  public void upload(float[] source, Matrix target) {
    host(target).copyFrom(source);
  }

  @Override
  public void download(Matrix source, double[] target) {
    host(source).copyTo(target);
  }

  @Override
  public void download(Matrix source, float[] target) {
    host(source).copyTo(target);
  }

  @Override
  public Matrix viewRows(Matrix m, int first, int count) {
    return host(m).viewRows(first, count);
  }

  @Override
  public void copy(Matrix source, Matrix target) {
    host(target).copyFrom(host(source));
  }

  @Override
  public void fill(Matrix m, double value) {
    host(m).fill(value);
  }

  @Override
  public void gemm(
      Transpose ta, Transpose tb, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
    HostMatrix ha = host(a);
    HostMatrix hb = host(b);
    HostMatrix hc = host(c);
    int inner = Shapes.checkGemm(ta, tb, ha, hb, hc);
    boolean transA = ta == Transpose.YES;
    boolean transB = tb == Transpose.YES;

    for (int i = 0; i < hc.rows(); i++) {
      for (int j = 0; j < hc.cols(); j++) {
        double sum = 0.0;
        for (int k = 0; k < inner; k++) {
          double x = transA ? ha.get(k, i) : ha.get(i, k);
          double y = transB ? hb.get(j, k) : hb.get(k, j);
          sum += x * y;
        }
        hc.set(i, j, beta == 0.0 ? alpha * sum : alpha * sum + beta * hc.get(i, j));
      }
    }
  }

  @Override
  public void gramSymmetric(double alpha, Matrix a, double beta, Matrix c) {
    HostMatrix ha = host(a);
    HostMatrix hc = host(c);
    int inner = Shapes.checkGemm(Transpose.NO, Transpose.YES, ha, ha, hc);

    for (int i = 0; i < hc.rows(); i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0.0;
        for (int k = 0; k < inner; k++) {
          sum += ha.get(i, k) * ha.get(j, k);
        }
        double value = beta == 0.0 ? alpha * sum : alpha * sum + beta * hc.get(i, j);
        hc.set(i, j, value);
        hc.set(j, i, value);
      }
    }
  }

  @Override
  public void hadamard(double s, Matrix x, Matrix y, double beta, Matrix c) {
    HostMatrix hx = host(x);
    HostMatrix hy = host(y);
    HostMatrix hc = host(c);
    Shapes.checkSameSize(hx, hy, hc);
    for (int k = 0; k < hc.size(); k++) {
      double product = s * hx.getFlat(k) * hy.getFlat(k);
      hc.setFlat(k, beta == 0.0 ? product : product + beta * hc.getFlat(k));
    }
  }

  @Override
  public void map(UnaryOp op, Matrix x, Matrix out) {
    HostMatrix hx = host(x);
    HostMatrix ho = host(out);
    Shapes.checkSameSize(hx, ho);
    for (int k = 0; k < ho.size(); k++) {
      ho.setFlat(k, op.apply(hx.getFlat(k)));
    }
  }

  @Override
  public void addRowVector(double s, Matrix v, Matrix c) {
    HostMatrix hv = host(v);
    HostMatrix hc = host(c);
    checkVectorLength(hv, hc.cols(), "row vector for " + hc.shape());
    for (int i = 0; i < hc.rows(); i++) {
      for (int j = 0; j < hc.cols(); j++) {
        hc.set(i, j, hc.get(i, j) + s * hv.getFlat(j));
      }
    }
  }

  @Override
  public void columnSums(double s, Matrix a, double beta, Matrix out) {
    HostMatrix ha = host(a);
    HostMatrix ho = host(out);
    checkVectorLength(ho, ha.cols(), "column sums of " + ha.shape());
    for (int j = 0; j < ha.cols(); j++) {
      double sum = 0.0;
      for (int i = 0; i < ha.rows(); i++) {
        sum += ha.get(i, j);
      }
      ho.setFlat(j, beta == 0.0 ? s * sum : s * sum + beta * ho.getFlat(j));
    }
  }

  private static void checkVectorLength(Matrix v, int length, String role) {
    if (v.size() != length) {
      throw new IllegalArgumentException(
          "expected a vector of " + length + " elements as " + role + ", got " + v.shape());
    }
  }

  @Override
  public void axpby(double alpha, Matrix x, double beta, Matrix y) {
    HostMatrix hx = host(x);
    HostMatrix hy = host(y);
    Shapes.checkSameSize(hx, hy);
    for (int k = 0; k < hy.size(); k++) {
      double v = alpha * hx.getFlat(k);
      hy.setFlat(k, beta == 0.0 ? v : v + beta * hy.getFlat(k));
    }
  }

  @Override
  public double dot(Matrix x, Matrix y) {
    HostMatrix hx = host(x);
    HostMatrix hy = host(y);
    Shapes.checkSameSize(hx, hy);
    double sum = 0.0;
    for (int k = 0; k < hx.size(); k++) {
      sum += hx.getFlat(k) * hy.getFlat(k);
    }
    return sum;
  }

  @Override
  public long liveAllocations() {
    return live.get();
  }

  @Override
  public void close() {
    // Nothing to release: storage is on the Java heap.
  }
}
