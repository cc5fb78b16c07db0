package org.ntkengine.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.ntkengine.NtkException;

/**
 * Plans Θ = J·Jᵀ (J n×p, row-major) in tiles when Θ and J do not fit in device memory together. Θ
 * is cut into b×b blocks of which only those on or below the diagonal are computed (Θ is
 * symmetric), and the inner dimension into chunks of q columns accumulated in place. One step holds
 * two row blocks of J (b×q each) and one block of Θ (b×b), so the plan respects (2·b·q + b²)·bytes
 * ≤ budget. Pure arithmetic: no device is needed to plan or to test a plan.
 */
public final class TilePlanner {
  /** Row blocks below this size waste the GPU; the inner dimension is split first to keep it. */
  static final int PREFERRED_MIN_ROWS = 1024;

  /** The most elements one block of J or Θ may have: the largest Java array. */
  static final long MAX_HOST_ELEMENTS = Integer.MAX_VALUE - 8;

  private TilePlanner() {}

  /**
   * One block of Θ: rows [rowStart, rowStart + rows) × columns [colStart, colStart + cols), with
   * colStart ≤ rowStart (on or below the diagonal).
   *
   * @param rowStart first row
   * @param rows row count
   * @param colStart first column
   * @param cols column count
   */
  public record Tile(int rowStart, int rows, int colStart, int cols) {
    /**
     * Whether the block straddles the diagonal (and so is computed as a symmetric Gram).
     *
     * @return true when rowStart equals colStart
     */
    public boolean diagonal() {
      return rowStart == colStart;
    }
  }

  /**
   * A tiling of Θ = J·Jᵀ.
   *
   * @param n rows of J, the order of Θ
   * @param p columns of J (inner dimension)
   * @param elementBytes bytes per element
   * @param rowTile b, the rows per block of Θ (the last block may be shorter)
   * @param innerTile q, the columns of J per accumulation step (the last may be shorter)
   * @param bytesPerStep device bytes one step holds: (2·b·q + b²)·elementBytes
   * @param tiles the blocks on and below the diagonal, row-block major
   */
  public record Plan(
      int n,
      int p,
      int elementBytes,
      int rowTile,
      int innerTile,
      long bytesPerStep,
      List<Tile> tiles) {

    /**
     * Returns the number of accumulation steps per block.
     *
     * @return ⌈p / q⌉, at least 1
     */
    public int innerSteps() {
      return p == 0 ? 1 : (p + innerTile - 1) / innerTile;
    }

    /**
     * Describes the plan for the log.
     *
     * @return tile sizes, counts and bytes
     */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "Θ %dx%d from J %dx%d in %d blocks of up to %dx%d, %d inner steps of %d columns,"
              + " %.1f MiB per step",
          n,
          n,
          n,
          p,
          tiles.size(),
          rowTile,
          rowTile,
          innerSteps(),
          innerTile,
          bytesPerStep / 1048576.0);
    }
  }

  /**
   * Plans the largest tiles that fit a byte budget.
   *
   * @param n rows of J, at least 0
   * @param p columns of J, at least 0
   * @param elementBytes bytes per element (4 or 8)
   * @param budgetBytes device bytes available for one step
   * @return the plan
   * @throws NtkException (resources) when not even a 1×1 block fits
   * @throws IllegalArgumentException for negative sizes
   */
  public static Plan plan(int n, int p, int elementBytes, long budgetBytes) {
    if (n < 0 || p < 0 || elementBytes <= 0) {
      throw new IllegalArgumentException(
          "cannot plan J " + n + "x" + p + " with " + elementBytes + "-byte elements");
    }
    long budget = budgetBytes / elementBytes;
    int q = Math.max(1, p);
    int b;
    if (2L * n * q + (long) n * n <= budget) {
      b = Math.max(1, n);
    } else {
      // Whole rows of J first: the largest b with b² + 2·p·b ≤ budget.
      b = largestRows(q, budget);
      int wanted = Math.min(Math.max(1, n), PREFERRED_MIN_ROWS);
      if (b < wanted) {
        // Too few rows: split the inner dimension, giving the rows a third of the budget each way.
        b = (int) Math.min(Math.max(1, n), (long) Math.sqrt(budget / 3.0));
        q = (int) Math.min(q, (budget - (long) b * b) / (2L * Math.max(1, b)));
      }
    }
    // Blocks travel through Java arrays, which hold at most 2^31 - 9 elements.
    b = (int) Math.min(b, (long) Math.sqrt(MAX_HOST_ELEMENTS));
    q = (int) Math.min(q, MAX_HOST_ELEMENTS / Math.max(1, b));
    long bytes = (2L * b * q + (long) b * b) * elementBytes;
    if (b < 1 || q < 1 || bytes > budgetBytes) {
      throw NtkException.resources(
          String.format(
              Locale.ROOT,
              "a budget of %d bytes cannot hold even a 1x1 block of Θ with one column of J"
                  + " (%d bytes); free device memory or use a host backend",
              budgetBytes,
              3L * elementBytes));
    }
    List<Tile> tiles = new ArrayList<>();
    for (int r = 0; r < n; r += b) {
      int rows = Math.min(b, n - r);
      for (int c = 0; c <= r; c += b) {
        tiles.add(new Tile(r, rows, c, Math.min(b, n - c)));
      }
    }
    return new Plan(n, p, elementBytes, b, q, bytes, Collections.unmodifiableList(tiles));
  }

  /** The largest b ≥ 0 with b² + 2·q·b ≤ budget. */
  private static int largestRows(int q, long budget) {
    double exact = -q + Math.sqrt((double) q * q + budget);
    long b = (long) Math.floor(exact);
    // Floating point may land one off either way; settle it in integers.
    while (b > 0 && b * b + 2L * q * b > budget) {
      b--;
    }
    while ((b + 1) * (b + 1) + 2L * q * (b + 1) <= budget) {
      b++;
    }
    return (int) Math.min(Integer.MAX_VALUE, b);
  }
}
