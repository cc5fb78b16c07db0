package org.ntkengine.cuda;

import java.lang.System.Logger.Level;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;

/**
 * Θ = α·J·Jᵀ for a J, and a Θ, larger than a backend's memory: J is read from the host in blocks,
 * each block of Θ on or below the diagonal is assembled on the backend (accumulated over chunks of
 * J's columns), and handed to a sink. Works on any {@link Backend}; with {@link CudaBackend} the
 * budget comes from {@link CudaBackend#deviceBudgetBytes()}.
 */
public final class TiledGram {
  private static final System.Logger LOG = System.getLogger(TiledGram.class.getName());

  /** Supplies blocks of J from wherever it lives (an array, a file, a generator). */
  @FunctionalInterface
  public interface RowSource {
    /**
     * Writes J[firstRow .. firstRow + rows) × [firstCol .. firstCol + cols) into {@code out},
     * row-major with row length {@code cols}.
     *
     * @param firstRow first row
     * @param rows row count
     * @param firstCol first column
     * @param cols column count
     * @param out at least rows·cols elements
     */
    void read(int firstRow, int rows, int firstCol, int cols, double[] out);
  }

  /** Receives the computed blocks of Θ. */
  @FunctionalInterface
  public interface TileSink {
    /**
     * Accepts one block; its mirror image above the diagonal is its transpose and is not sent.
     *
     * @param tile where the block lies (colStart ≤ rowStart)
     * @param values rows·cols values, row-major with row length {@code tile.cols()}
     */
    void accept(TilePlanner.Tile tile, double[] values);
  }

  private TiledGram() {}

  /**
   * Computes every block of Θ = α·J·Jᵀ on or below the diagonal.
   *
   * @param backend where the products run
   * @param precision the precision of the device matrices
   * @param n rows of J
   * @param p columns of J
   * @param alpha scale of the product
   * @param source J, by blocks
   * @param sink receives each block of Θ
   * @param budgetBytes the backend memory one step may use
   * @return the plan that was followed
   * @throws org.ntkengine.NtkException (resources) when the budget cannot hold a 1×1 block
   */
  public static TilePlanner.Plan compute(
      Backend backend,
      Precision precision,
      int n,
      int p,
      double alpha,
      RowSource source,
      TileSink sink,
      long budgetBytes) {
    TilePlanner.Plan plan = TilePlanner.plan(n, p, precision.bytes(), budgetBytes);
    LOG.log(Level.INFO, "tiled Gram on " + backend.name() + ": " + plan.describe());
    double[] host = new double[Math.max(plan.rowTile(), 1) * Math.max(plan.innerTile(), 1)];
    for (TilePlanner.Tile tile : plan.tiles()) {
      try (Matrix theta = backend.allocate(tile.rows(), tile.cols(), precision)) {
        for (int step = 0; step < plan.innerSteps(); step++) {
          int first = step * plan.innerTile();
          int width = Math.min(plan.innerTile(), p - first);
          double beta = step == 0 ? 0.0 : 1.0;
          try (Matrix rowsI =
              load(backend, precision, source, tile.rowStart(), tile.rows(), first, width, host)) {
            if (tile.diagonal()) {
              backend.gramSymmetric(alpha, rowsI, beta, theta);
            } else {
              try (Matrix rowsJ =
                  load(
                      backend,
                      precision,
                      source,
                      tile.colStart(),
                      tile.cols(),
                      first,
                      width,
                      host)) {
                backend.gram(alpha, rowsI, rowsJ, beta, theta);
              }
            }
          }
        }
        double[] values = new double[tile.rows() * tile.cols()];
        backend.download(theta, values);
        sink.accept(tile, values);
      }
    }
    return plan;
  }

  private static Matrix load(
      Backend backend,
      Precision precision,
      RowSource source,
      int firstRow,
      int rows,
      int firstCol,
      int cols,
      double[] host) {
    Matrix m = backend.allocate(rows, Math.max(cols, 0), precision);
    try {
      if (rows > 0 && cols > 0) {
        source.read(firstRow, rows, firstCol, cols, host);
        backend.upload(host, m);
      }
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }
}
