package org.ntkengine.ntk;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntkengine.MemoryBudget;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.model.LayerFactors;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.StochasticDepth;

/**
 * The empirical neural tangent kernel Θ(x, x′) = Σ_p ∂f(x)/∂θ_p · ∂f(x′)/∂θ_p of a {@link Network}
 * at its current parameters, for one set of inputs (Θ(X, X), symmetric) or two (Θ(X₁, X₂)), rows =
 * samples. With k outputs the default is the output-averaged kernel (1/k)·Σ_c Θ_cc; {@link
 * #perOutput} gives every block Θ_cc′.
 *
 * <p>Two methods ({@link NtkMethod}): structured (per-weight factors, Gram assembly on the
 * backend's {@code gramSymmetric}/{@code gram} and {@code hadamard}) and explicit (Jacobian tiles
 * J_I·J_Jᵀ). Both check the memory they need against a budget before allocating and pick their tile
 * sizes from it; {@link #withRowTile} and {@link #withParameterTile} force tile sizes.
 *
 * <p>Instances are immutable configurations; the {@code with…} methods return modified copies.
 */
public final class EmpiricalNtk {
  private static final System.Logger LOG = System.getLogger(EmpiricalNtk.class.getName());

  private final Network network;
  private final NtkMethod method;
  private final int rowTile;
  private final int parameterTile;
  private final long budget;

  /**
   * Creates the structured method with tiles chosen from the free Java heap.
   *
   * @param network the network (its backend and precision are used throughout)
   */
  public EmpiricalNtk(Network network) {
    this(network, NtkMethod.STRUCTURED, 0, 0, 0);
  }

  private EmpiricalNtk(
      Network network, NtkMethod method, int rowTile, int parameterTile, long budget) {
    this.network = network;
    this.method = method;
    this.rowTile = rowTile;
    this.parameterTile = parameterTile;
    this.budget = budget;
  }

  /**
   * Returns a copy using the given method.
   *
   * @param m structured or explicit
   * @return the new configuration
   */
  public EmpiricalNtk withMethod(NtkMethod m) {
    return new EmpiricalNtk(network, m, rowTile, parameterTile, budget);
  }

  /**
   * Returns a copy that processes at most {@code rows} samples of the first set per tile (0: chosen
   * from the budget).
   *
   * @param rows the tile height, 0 or more
   * @return the new configuration
   */
  public EmpiricalNtk withRowTile(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("row tile must be 0 (automatic) or more, got " + rows);
    }
    return new EmpiricalNtk(network, method, rows, parameterTile, budget);
  }

  /**
   * Returns a copy whose explicit method builds Jacobian tiles of at most {@code columns}
   * parameters (0: chosen from the budget).
   *
   * @param columns the tile width, 0 or more
   * @return the new configuration
   */
  public EmpiricalNtk withParameterTile(int columns) {
    if (columns < 0) {
      throw new IllegalArgumentException(
          "parameter tile must be 0 (automatic) or more, got " + columns);
    }
    return new EmpiricalNtk(network, method, rowTile, columns, budget);
  }

  /**
   * Returns a copy that plans within {@code bytes} of memory (0: the free Java heap).
   *
   * @param bytes the budget
   * @return the new configuration
   */
  public EmpiricalNtk withMemoryBudget(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("memory budget must be 0 (automatic) or more");
    }
    return new EmpiricalNtk(network, method, rowTile, parameterTile, bytes);
  }

  /**
   * Returns the configured method.
   *
   * @return the method
   */
  public NtkMethod method() {
    return method;
  }

  /**
   * Returns the network.
   *
   * @return the network
   */
  public Network network() {
    return network;
  }

  // ---- kernels

  /**
   * Computes the output-averaged Θ(X, X) in evaluation mode.
   *
   * @param x X, n×d
   * @return Θ, n×n, symmetric; the caller closes it
   * @throws NtkException (resources) when it cannot fit the memory budget
   */
  public Matrix kernel(Matrix x) {
    return kernel(x, null);
  }

  /**
   * Computes the output-averaged Θ(X₁, X₂) in evaluation mode; {@code x2 == null} means X₂ = X₁
   * (the symmetric case, computed once per pair).
   *
   * @param x1 X₁, n₁×d
   * @param x2 X₂, n₂×d, or null
   * @return Θ, n₁×n₂; the caller closes it
   * @throws NtkException (resources) when it cannot fit the memory budget
   */
  public Matrix kernel(Matrix x1, Matrix x2) {
    return kernel(x1, x2, StochasticDepth.evaluation(network.spec()));
  }

  /**
   * Computes the output-averaged Θ(X₁, X₂) for one stochastic-depth mask.
   *
   * @param x1 X₁, n₁×d
   * @param x2 X₂, n₂×d, or null for X₁
   * @param mask ξ_1..ξ_L
   * @return Θ, n₁×n₂; the caller closes it
   * @throws NtkException (resources) when it cannot fit the memory budget
   */
  public Matrix kernel(Matrix x1, Matrix x2, double[] mask) {
    int k = network.spec().outputs();
    int[][] pairs = new int[k][];
    for (int c = 0; c < k; c++) {
      pairs[c] = new int[] {c, c};
    }
    return compute(x1, x2, mask, new int[][][] {pairs}, 1.0 / k)[0];
  }

  /**
   * Computes every per-output block Θ_cc′(X₁, X₂) = Σ_p ∂f_c(x)/∂θ_p·∂f_c′(x′)/∂θ_p in evaluation
   * mode.
   *
   * @param x1 X₁, n₁×d
   * @param x2 X₂, n₂×d, or null for X₁
   * @return blocks[c][c′], each n₁×n₂; the caller closes them
   * @throws NtkException (resources) when they cannot fit the memory budget
   */
  public Matrix[][] perOutput(Matrix x1, Matrix x2) {
    int k = network.spec().outputs();
    int[][][] sets = new int[k * k][][];
    for (int c = 0; c < k; c++) {
      for (int d = 0; d < k; d++) {
        sets[c * k + d] = new int[][] {{c, d}};
      }
    }
    // One forward pass and k backward passes serve all k² blocks.
    Matrix[] flat = compute(x1, x2, StochasticDepth.evaluation(network.spec()), sets, 1.0);
    Matrix[][] blocks = new Matrix[k][k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(flat, c * k, blocks[c], 0, k);
    }
    return blocks;
  }

  /**
   * Estimates the Monte Carlo mean of the output-averaged Θ(X₁, X₂) over s training-mode masks ξ ~
   * Bernoulli(p) (mask i is {@link StochasticDepth#sample(ModelSpec, long, long) sample(spec, seed,
   * i)}), with its standard error.
   *
   * @param x1 X₁, n₁×d
   * @param x2 X₂, n₂×d, or null for X₁
   * @param samples s, at least 1
   * @param seed the mask seed
   * @return the mean and standard error; the caller closes them
   */
  public MonteCarloNtk monteCarlo(Matrix x1, Matrix x2, int samples, long seed) {
    if (samples < 1) {
      throw NtkException.usage("Monte Carlo needs at least 1 mask sample, got " + samples);
    }
    int n1 = x1.rows();
    int n2 = x2 == null ? n1 : x2.rows();
    long cells = (long) n1 * n2;
    MemoryBudget.require(cells * 8 * 3, "the Monte Carlo NTK accumulators (" + n1 + "x" + n2 + ")");
    double[] mean = new double[Math.toIntExact(cells)];
    double[] m2 = new double[mean.length];
    double[] theta = new double[mean.length];
    Backend be = network.backend();
    for (int i = 0; i < samples; i++) {
      double[] mask = StochasticDepth.sample(network.spec(), seed, i);
      try (Matrix t = kernel(x1, x2, mask)) {
        be.download(t, theta);
      }
      // Welford's update keeps the variance accurate when the kernels nearly agree.
      for (int j = 0; j < theta.length; j++) {
        double d = theta[j] - mean[j];
        mean[j] += d / (i + 1);
        m2[j] += d * (theta[j] - mean[j]);
      }
    }
    for (int j = 0; j < m2.length; j++) {
      m2[j] = samples > 1 ? Math.sqrt(m2[j] / (samples - 1) / samples) : 0.0;
    }
    Precision p = network.precision();
    Matrix meanM = Network.upload(be, p, mean, n1, n2);
    try {
      return new MonteCarloNtk(meanM, Network.upload(be, p, m2, n1, n2), samples);
    } catch (RuntimeException e) {
      meanM.close();
      throw e;
    }
  }

  /**
   * Returns the matrix-free operator v ↦ Θ(X, X)·v of the output-averaged kernel in evaluation
   * mode; it holds the Jacobian factors of X (memory n·Σ_W(fan_in + k·fan_out)) but never an n×n
   * matrix.
   *
   * @param x X, n×d; must stay open while the operator is used
   * @return the operator; close it to release the factors
   */
  public MatrixFreeNtk operator(Matrix x) {
    long need = factorBytes(network.spec(), x.rows(), network.precision());
    MemoryBudget.require(
        need,
        "the Jacobian factors of "
            + x.rows()
            + " samples for the matrix-free NTK (use fewer samples or a smaller width)");
    return new MatrixFreeNtk(network.factors(x), network.precision());
  }

  // ---- memory

  /**
   * Estimates the bytes the Jacobian factors of n samples take: every layer's input and every
   * output's cotangent, plus the forward pass's other activations.
   *
   * @param spec the architecture
   * @param n samples
   * @param precision the element format
   * @return bytes
   */
  public static long factorBytes(ModelSpec spec, int n, Precision precision) {
    long w = spec.width();
    long k = spec.outputs();
    long perSample = spec.inputDim(); // not owned but counted: X is used as a factor
    perSample += spec.hasFourierFeatures() ? 2L * spec.fourierFeatures() : 0;
    perSample +=
        (spec.hasFourierFeatures() && spec.trainableFourier()) ? k * spec.fourierFeatures() : 0;
    // h_0..h_L, u_l and φ(u_l), the stem's and every block's two cotangents per output.
    perSample += (spec.depth() + 1) * w + 2L * spec.depth() * w;
    perSample += k * (w + 2L * spec.depth() * w) + 2 * k + k * k;
    return perSample * n * precision.bytes();
  }

  /**
   * Estimates the bytes the structured method needs for Θ(X₁, X₂) with the whole first set in one
   * tile: both sets' factors, Θ and two n₁×n₂ work matrices.
   *
   * @param spec the architecture
   * @param n1 n₁
   * @param n2 n₂ (equal to n₁ and {@code symmetric} for one set)
   * @param symmetric whether X₂ = X₁
   * @param precision the element format
   * @return bytes
   */
  public static long structuredBytes(
      ModelSpec spec, int n1, int n2, boolean symmetric, Precision precision) {
    long f = factorBytes(spec, n1, precision) + (symmetric ? 0 : factorBytes(spec, n2, precision));
    return f + 3L * n1 * n2 * precision.bytes();
  }

  private long budgetBytes() {
    return budget > 0 ? budget : MemoryBudget.availableHeapBytes();
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
  }

  // ---- assembly

  private Matrix[] compute(Matrix x1, Matrix x2, double[] mask, int[][][] pairSets, double weight) {
    boolean symmetric = x2 == null;
    ModelSpec spec = network.spec();
    if (x1.cols() != spec.inputDim() || (x2 != null && x2.cols() != spec.inputDim())) {
      throw new IllegalArgumentException(
          "inputs "
              + x1.shape()
              + (x2 == null ? "" : " and " + x2.shape())
              + " do not fit the network: expected "
              + spec.inputDim()
              + " columns (d)");
    }
    int n1 = x1.rows();
    int n2 = symmetric ? n1 : x2.rows();
    Precision p = network.precision();
    long factors = factorBytes(spec, n1, p) + (symmetric ? 0 : factorBytes(spec, n2, p));
    long theta = (long) n1 * n2 * p.bytes() * pairSets.length;
    long fixed =
        factors + theta + (method == NtkMethod.EXPLICIT ? 2 * factors + 8 * (long) n1 * n2 : 0);
    long available = budgetBytes();
    if (fixed + 2L * Math.max(n2, 1) * p.bytes() > available
        || theta / p.bytes() > Integer.MAX_VALUE - 8) {
      throw NtkException.resources(
          "the "
              + method.name().toLowerCase(Locale.ROOT)
              + " NTK of "
              + n1
              + "x"
              + n2
              + " samples needs at least "
              + gib(fixed)
              + " (Θ alone "
              + gib(theta)
              + ", Jacobian factors "
              + gib(factors)
              + ") but "
              + gib(available)
              + " is available; raise the heap with NTK_JAVA_OPTS=-Xmx<size>, use fewer samples"
              + " or a smaller --width, or use the matrix-free operator (spectra) instead of a"
              + " dense Θ");
    }
    try (LayerFactors f1 = network.factors(x1, mask);
        LayerFactors f2 = symmetric ? null : network.factors(x2, mask)) {
      LayerFactors right = symmetric ? f1 : f2;
      Matrix[] out = new Matrix[pairSets.length];
      try {
        for (int i = 0; i < pairSets.length; i++) {
          out[i] =
              method == NtkMethod.STRUCTURED
                  ? structured(f1, right, symmetric, pairSets[i], weight, available - fixed)
                  : explicit(f1, right, pairSets[i], weight, available - fixed);
        }
        return out;
      } catch (RuntimeException e) {
        for (Matrix m : out) {
          if (m != null) {
            m.close();
          }
        }
        throw e;
      }
    }
  }

  private Matrix structured(
      LayerFactors f1,
      LayerFactors f2,
      boolean symmetric,
      int[][] pairs,
      double weight,
      long spare) {
    Backend be = network.backend();
    Precision p = network.precision();
    int n1 = f1.samples();
    int n2 = f2.samples();
    int tile = rowTile > 0 ? Math.min(rowTile, n1) : planRows(n1, 2L * n2 * p.bytes(), spare);
    boolean diagonalPairs = true;
    for (int[] pair : pairs) {
      diagonalPairs &= pair[0] == pair[1];
    }
    // One tile over a symmetric pair set: gramSymmetric computes each (i, j) once.
    boolean useSymmetric = symmetric && diagonalPairs && tile >= n1;
    // Tiling is the plan worth reporting; whole-set assembly is the quiet default.
    LOG.log(
        tile < n1 ? Level.INFO : Level.DEBUG,
        () ->
            "structured NTK "
                + n1
                + "x"
                + n2
                + ": row tile "
                + tile
                + (useSymmetric ? " (symmetric Gram)" : ""));
    Matrix theta = be.allocate(n1, n2, p);
    try (Matrix gaFull = be.allocate(Math.min(tile, Math.max(n1, 1)), n2, p);
        Matrix gdFull = be.allocate(Math.min(tile, Math.max(n1, 1)), n2, p)) {
      List<LayerFactors.Term> t1 = f1.terms();
      List<LayerFactors.Term> t2 = f2.terms();
      for (int i0 = 0; i0 < n1; i0 += tile) {
        int b = Math.min(tile, n1 - i0);
        Matrix out = be.viewRows(theta, i0, b);
        Matrix ga = be.viewRows(gaFull, 0, b);
        Matrix gd = be.viewRows(gdFull, 0, b);
        for (int t = 0; t < t1.size(); t++) {
          LayerFactors.Term left = t1.get(t);
          LayerFactors.Term right = t2.get(t);
          // G_A = σ_b²·11ᵀ + Σ_W s_W²·A_W A_Wᵀ: the bias enters as a constant on the A side.
          double bias = left.biasScale() * left.biasScale();
          be.fill(ga, bias);
          for (int j = 0; j < left.factors().size(); j++) {
            LayerFactors.Factor fa = left.factors().get(j);
            Matrix a1 = be.viewRows(fa.activations(), i0, b);
            double s2 = fa.scale() * fa.scale();
            if (useSymmetric) {
              be.gramSymmetric(s2, a1, 1.0, ga);
            } else {
              be.gram(s2, a1, right.factors().get(j).activations(), 1.0, ga);
            }
          }
          // G_Δ = weight·Σ_(c,c′) Δ^c Δ^c′ᵀ.
          for (int q = 0; q < pairs.length; q++) {
            Matrix d1 = be.viewRows(left.deltas()[pairs[q][0]], i0, b);
            double beta = q == 0 ? 0.0 : 1.0;
            if (useSymmetric) {
              be.gramSymmetric(weight, d1, beta, gd);
            } else {
              be.gram(weight, d1, right.deltas()[pairs[q][1]], beta, gd);
            }
          }
          be.hadamard(1.0, ga, gd, t == 0 ? 0.0 : 1.0, out);
        }
      }
      return theta;
    } catch (RuntimeException e) {
      theta.close();
      throw e;
    }
  }

  private static int planRows(int n1, long bytesPerRow, long spare) {
    if (n1 == 0) {
      return 1;
    }
    long rows = spare / Math.max(bytesPerRow, 1);
    if (rows < 1) {
      throw NtkException.resources(
          "no room for even one row of the NTK's work matrices ("
              + bytesPerRow
              + " bytes per row); raise the heap with NTK_JAVA_OPTS=-Xmx<size> or use fewer"
              + " samples");
    }
    return (int) Math.min(n1, rows);
  }

  /** One contiguous run of trainable parameters whose Jacobian columns come from one term. */
  private record Chunk(int term, int factor, int first, int count) {}

  private Matrix explicit(
      LayerFactors f1, LayerFactors f2, int[][] pairs, double weight, long spare) {
    Backend be = network.backend();
    Precision p = network.precision();
    int n1 = f1.samples();
    int n2 = f2.samples();
    HostTerms h1 = HostTerms.of(f1);
    HostTerms h2 = f1 == f2 ? h1 : HostTerms.of(f2);

    int rows1 = rowTile > 0 ? Math.min(rowTile, Math.max(n1, 1)) : Math.max(1, Math.min(n1, 512));
    int rows2 = rowTile > 0 ? Math.min(rowTile, Math.max(n2, 1)) : Math.max(1, Math.min(n2, 512));
    long perColumn = (long) (rows1 + rows2) * (8 + p.bytes());
    long tileProduct = (long) rows1 * rows2 * (8 + p.bytes());
    int columns = parameterTile;
    if (columns == 0) {
      long c = (spare - tileProduct) / Math.max(perColumn, 1);
      if (c < 1) {
        throw NtkException.resources(
            "the explicit NTK has no room for a Jacobian tile of "
                + rows1
                + "+"
                + rows2
                + " rows; raise the heap with NTK_JAVA_OPTS=-Xmx<size> or use --method"
                + " structured");
      }
      columns = (int) Math.min(c, 1 << 16);
    }

    List<Chunk> chunks = new ArrayList<>();
    for (int t = 0; t < h1.terms.size(); t++) {
      HostTerm term = h1.terms.get(t);
      for (int j = 0; j <= term.factorCols.length; j++) {
        // Factor index factorCols.length stands for the bias.
        if (j == term.factorCols.length && term.biasScale == 0) {
          continue;
        }
        long size =
            j < term.factorCols.length ? (long) term.fanOut * term.factorCols[j] : term.fanOut;
        for (long q = 0; q < size; q += columns) {
          chunks.add(new Chunk(t, j, (int) q, (int) Math.min(columns, size - q)));
        }
      }
    }
    LOG.log(
        Level.INFO,
        "explicit NTK "
            + n1
            + "x"
            + n2
            + ": row tiles "
            + rows1
            + "/"
            + rows2
            + ", "
            + chunks.size()
            + " parameter chunks of at most "
            + columns);

    double[] theta = new double[n1 * n2];
    int maxCols = Math.min(columns, maxChunk(chunks));
    double[] buf1 = new double[rows1 * maxCols];
    double[] buf2 = new double[rows2 * maxCols];
    double[] prod = new double[rows1 * rows2];
    for (Chunk ch : chunks) {
      for (int[] pair : pairs) {
        for (int i0 = 0; i0 < n1; i0 += rows1) {
          int b1 = Math.min(rows1, n1 - i0);
          h1.jacobian(ch, pair[0], i0, b1, buf1);
          try (Matrix j1 = be.allocate(b1, ch.count, p)) {
            be.upload(buf1, j1);
            for (int j0 = 0; j0 < n2; j0 += rows2) {
              int b2 = Math.min(rows2, n2 - j0);
              h2.jacobian(ch, pair[1], j0, b2, buf2);
              try (Matrix j2 = be.allocate(b2, ch.count, p);
                  Matrix c = be.allocate(b1, b2, p)) {
                be.upload(buf2, j2);
                be.gram(1.0, j1, j2, 0.0, c);
                be.download(c, prod);
              }
              for (int r = 0; r < b1; r++) {
                for (int s = 0; s < b2; s++) {
                  theta[(i0 + r) * n2 + j0 + s] += weight * prod[r * b2 + s];
                }
              }
            }
          }
        }
      }
    }
    return Network.upload(be, p, theta, n1, n2);
  }

  private static int maxChunk(List<Chunk> chunks) {
    int m = 1;
    for (Chunk c : chunks) {
      m = Math.max(m, c.count);
    }
    return m;
  }

  /** A term's factors downloaded to the host, for building Jacobian tiles. */
  private static final class HostTerm {
    int fanOut;
    int[] factorCols;
    double[] scales;
    double[][] activations;
    double[][] deltas;
    double biasScale;
  }

  private static final class HostTerms {
    final List<HostTerm> terms = new ArrayList<>();

    static HostTerms of(LayerFactors f) {
      Backend be = f.backend();
      HostTerms h = new HostTerms();
      for (LayerFactors.Term t : f.terms()) {
        HostTerm ht = new HostTerm();
        ht.fanOut = t.fanOut();
        ht.biasScale = t.biasScale();
        int nf = t.factors().size();
        ht.factorCols = new int[nf];
        ht.scales = new double[nf];
        ht.activations = new double[nf][];
        for (int j = 0; j < nf; j++) {
          LayerFactors.Factor fa = t.factors().get(j);
          ht.factorCols[j] = fa.activations().cols();
          ht.scales[j] = fa.scale();
          ht.activations[j] = download(be, fa.activations());
        }
        ht.deltas = new double[t.deltas().length][];
        for (int c = 0; c < t.deltas().length; c++) {
          ht.deltas[c] = download(be, t.deltas()[c]);
        }
        h.terms.add(ht);
      }
      return h;
    }

    private static double[] download(Backend be, Matrix m) {
      double[] a = new double[Math.toIntExact(m.size())];
      be.download(m, a);
      return a;
    }

    /**
     * Writes rows [first, first + count) of the Jacobian of output c restricted to one chunk: J[r,
     * q] = s·δ_r[o]·a_r[i] for weight entry q = o·fan_in + i, or σ_b·δ_r[q] for a bias.
     */
    void jacobian(Chunk ch, int c, int first, int count, double[] out) {
      HostTerm t = terms.get(ch.term);
      double[] delta = t.deltas[c];
      int fo = t.fanOut;
      if (ch.factor == t.factorCols.length) {
        for (int r = 0; r < count; r++) {
          int row = (first + r) * fo;
          for (int q = 0; q < ch.count; q++) {
            out[r * ch.count + q] = t.biasScale * delta[row + ch.first + q];
          }
        }
        return;
      }
      int fi = t.factorCols[ch.factor];
      double s = t.scales[ch.factor];
      double[] a = t.activations[ch.factor];
      for (int r = 0; r < count; r++) {
        int sample = first + r;
        for (int q = 0; q < ch.count; q++) {
          int flat = ch.first + q;
          int o = flat / fi;
          int i = flat - o * fi;
          out[r * ch.count + q] = s * delta[sample * fo + o] * a[sample * fi + i];
        }
      }
    }
  }
}
