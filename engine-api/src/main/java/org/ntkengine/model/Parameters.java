package org.ntkengine.model;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.ntkengine.NtkException;
import org.ntkengine.io.AtomicFiles;

/**
 * The parameters of an NTK-ECRN network, held on the host in float64: one array per tensor of
 * {@link #layout(ModelSpec)}, in NTK parameterisation (every entry drawn from N(0, 1); the scales
 * σ_w/√fan_in, σ_b, 2πσ_f live in the forward pass, not in the values).
 *
 * <p>Tensors, in this order:
 *
 * <ul>
 *   <li>{@code fourier} (m×d, only with Fourier features): Z, with frequencies B = σ_f·Z;
 *   <li>{@code stem.cos.weight}, {@code stem.sin.weight} (n×m each) with Fourier features — the
 *       stem weight W_0 = [W_cos | W_sin] acting on γ(x) = [cos 2πBx; sin 2πBx] — or {@code
 *       stem.weight} (n×d) without; {@code stem.bias} (1×n);
 *   <li>for each block l = 1..L: {@code blockL.u.weight} (n×n), {@code blockL.u.bias} (1×n), {@code
 *       blockL.v.weight} (n×n);
 *   <li>{@code readout.weight} (k×n), {@code readout.bias} (1×k).
 * </ul>
 *
 * <p>{@link #initialize} draws tensor t from {@link SeededRandom#stream(long, String) stream(seed,
 * t)} in row-major order, so the same seed gives the same values on every run and backend, and a
 * tensor's values do not depend on the shapes of the others.
 *
 * <p>File format ({@link #save}, {@link #load}), big-endian throughout: the 8 ASCII bytes {@code
 * NTKPARAM}; int version (1); the spec (int d, int m, double σ_f, boolean trainable Fourier, int n,
 * int L, UTF activation name, int k, double σ_w, double σ_b, L doubles α_l, L doubles p_l, boolean
 * residual); int tensor count; per tensor UTF name, int rows, int cols, rows·cols doubles; and a
 * trailing int, the CRC-32 of every byte before it. ("UTF" is {@link DataOutputStream#writeUTF}.)
 */
public final class Parameters {
  private static final byte[] MAGIC = {'N', 'T', 'K', 'P', 'A', 'R', 'A', 'M'};
  private static final int VERSION = 1;

  private final ModelSpec spec;
  private final Map<String, double[]> values;

  private Parameters(ModelSpec spec, Map<String, double[]> values) {
    this.spec = spec;
    this.values = values;
  }

  /**
   * Lists the tensors of a network in their canonical order.
   *
   * @param spec the architecture
   * @return names and shapes
   */
  public static List<ParameterTensor> layout(ModelSpec spec) {
    List<ParameterTensor> list = new ArrayList<>();
    int n = spec.width();
    if (spec.hasFourierFeatures()) {
      int m = spec.fourierFeatures();
      list.add(new ParameterTensor("fourier", m, spec.inputDim(), spec.trainableFourier()));
      list.add(new ParameterTensor("stem.cos.weight", n, m, true));
      list.add(new ParameterTensor("stem.sin.weight", n, m, true));
    } else {
      list.add(new ParameterTensor("stem.weight", n, spec.inputDim(), true));
    }
    list.add(new ParameterTensor("stem.bias", 1, n, true));
    for (int l = 1; l <= spec.depth(); l++) {
      list.add(new ParameterTensor("block" + l + ".u.weight", n, n, true));
      list.add(new ParameterTensor("block" + l + ".u.bias", 1, n, true));
      list.add(new ParameterTensor("block" + l + ".v.weight", n, n, true));
    }
    list.add(new ParameterTensor("readout.weight", spec.outputs(), n, true));
    list.add(new ParameterTensor("readout.bias", 1, spec.outputs(), true));
    return list;
  }

  /**
   * Counts the trainable parameters P (the Jacobian's column count).
   *
   * @param spec the architecture
   * @return P
   */
  public static long trainableCount(ModelSpec spec) {
    long p = 0;
    for (ParameterTensor t : layout(spec)) {
      p += t.trainable() ? t.size() : 0;
    }
    return p;
  }

  /**
   * Draws every tensor from N(0, 1) with the given seed.
   *
   * @param spec the architecture
   * @param seed the seed
   * @return the parameters
   */
  public static Parameters initialize(ModelSpec spec, long seed) {
    Map<String, double[]> v = new LinkedHashMap<>();
    for (ParameterTensor t : layout(spec)) {
      v.put(t.name(), SeededRandom.stream(seed, t.name()).gaussians(new double[t.size()]));
    }
    return new Parameters(spec, v);
  }

  /**
   * Builds parameters from given values, checking every shape against the layout.
   *
   * @param spec the architecture
   * @param tensors one array per tensor of {@link #layout}, by name
   * @return the parameters (the arrays are copied)
   * @throws IllegalArgumentException when a tensor is missing, extra or mis-sized
   */
  public static Parameters of(ModelSpec spec, Map<String, double[]> tensors) {
    Map<String, double[]> v = new LinkedHashMap<>();
    for (ParameterTensor t : layout(spec)) {
      double[] a = tensors.get(t.name());
      if (a == null || a.length != t.size()) {
        throw new IllegalArgumentException(
            "tensor "
                + t.name()
                + " must hold "
                + t.rows()
                + "x"
                + t.cols()
                + " values, got "
                + (a == null ? "none" : a.length));
      }
      v.put(t.name(), a.clone());
    }
    if (tensors.size() != v.size()) {
      throw new IllegalArgumentException(
          "unexpected tensors " + tensors.keySet() + "; the layout is " + v.keySet());
    }
    return new Parameters(spec, v);
  }

  /**
   * Returns the architecture these parameters belong to.
   *
   * @return the spec
   */
  public ModelSpec spec() {
    return spec;
  }

  /**
   * Returns a copy of one tensor's values, row-major.
   *
   * @param name a name from {@link #layout}
   * @return the values
   * @throws IllegalArgumentException for an unknown name
   */
  public double[] get(String name) {
    return tensor(name).clone();
  }

  /**
   * Returns a copy with one tensor replaced (for finite-difference checks and tests).
   *
   * @param name a name from {@link #layout}
   * @param newValues the values, same length as before
   * @return the new parameters
   * @throws IllegalArgumentException for an unknown name or a wrong length
   */
  public Parameters with(String name, double[] newValues) {
    double[] old = tensor(name);
    if (newValues.length != old.length) {
      throw new IllegalArgumentException(
          "tensor " + name + " holds " + old.length + " values, got " + newValues.length);
    }
    Map<String, double[]> v = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : values.entrySet()) {
      v.put(e.getKey(), e.getKey().equals(name) ? newValues.clone() : e.getValue());
    }
    return new Parameters(spec, v);
  }

  /**
   * Returns the Fourier frequency matrix B = σ_f·Z, m×d row-major, as the forward pass uses it (for
   * kernels that need k_γ exactly for the sampled frequencies).
   *
   * @return B, or an empty array when the network has no Fourier features
   */
  public double[] fourierFrequencies() {
    if (!spec.hasFourierFeatures()) {
      return new double[0];
    }
    double[] b = get("fourier");
    for (int i = 0; i < b.length; i++) {
      b[i] *= spec.fourierSigma();
    }
    return b;
  }

  double[] tensor(String name) {
    double[] a = values.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          "no parameter tensor '" + name + "'; the layout is " + values.keySet());
    }
    return a;
  }

  /**
   * Writes the parameters and their spec in the format described above, atomically.
   *
   * @param path the file
   * @throws NtkException (bad input) when the file cannot be written
   */
  public void save(Path path) {
    AtomicFiles.write(
        path,
        raw -> {
          CRC32 crc = new CRC32();
          DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
          out.write(MAGIC);
          out.writeInt(VERSION);
          writeSpec(out, spec);
          out.writeInt(values.size());
          for (ParameterTensor t : layout(spec)) {
            out.writeUTF(t.name());
            out.writeInt(t.rows());
            out.writeInt(t.cols());
            for (double x : values.get(t.name())) {
              out.writeDouble(x);
            }
          }
          out.flush();
          new DataOutputStream(raw).writeInt((int) crc.getValue());
        });
  }

  private static void writeSpec(DataOutputStream out, ModelSpec s) throws IOException {
    out.writeInt(s.inputDim());
    out.writeInt(s.fourierFeatures());
    out.writeDouble(s.fourierSigma());
    out.writeBoolean(s.trainableFourier());
    out.writeInt(s.width());
    out.writeInt(s.depth());
    out.writeUTF(s.activation().name());
    out.writeInt(s.outputs());
    out.writeDouble(s.sigmaW());
    out.writeDouble(s.sigmaB());
    for (double a : s.alphas()) {
      out.writeDouble(a);
    }
    for (double p : s.survival()) {
      out.writeDouble(p);
    }
    out.writeBoolean(s.residual());
  }

  /**
   * Reads parameters written by {@link #save}.
   *
   * @param path the file
   * @return the parameters, with their spec
   * @throws NtkException (bad input) naming the file and the problem: missing, not a parameter
   *     file, unknown version, truncated (with the offset), checksum mismatch, or tensors that do
   *     not match the stored spec
   */
  public static Parameters load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw NtkException.badInput(path + ": no such parameter file");
    } catch (IOException e) {
      throw NtkException.badInput(path + ": cannot read (" + e.getMessage() + ")");
    }
    if (bytes.length < MAGIC.length + 8
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw NtkException.badInput(
          path + ": not an NTK Engine parameter file (it must start with NTKPARAM)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    int stored =
        ((bytes[bytes.length - 4] & 0xff) << 24)
            | ((bytes[bytes.length - 3] & 0xff) << 16)
            | ((bytes[bytes.length - 2] & 0xff) << 8)
            | (bytes[bytes.length - 1] & 0xff);
    ByteArrayInputStream bin = new ByteArrayInputStream(bytes, 0, bytes.length - 4);
    DataInputStream in = new DataInputStream(bin);
    try {
      in.skipNBytes(MAGIC.length);
      int version = in.readInt();
      if (version != VERSION) {
        throw NtkException.badInput(
            path + ": parameter file version " + version + ", this engine reads " + VERSION);
      }
      ModelSpec spec = readSpec(in);
      int count = in.readInt();
      Map<String, double[]> v = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows < 0 || cols < 0 || (long) rows * cols > bytes.length / 8) {
          throw NtkException.badInput(
              path + ": tensor " + name + " claims " + rows + "x" + cols + ": the file is corrupt");
        }
        double[] a = new double[rows * cols];
        for (int j = 0; j < a.length; j++) {
          a[j] = in.readDouble();
        }
        v.put(name, a);
      }
      if ((int) crc.getValue() != stored) {
        throw NtkException.badInput(
            path + ": checksum mismatch (the file is corrupt or was changed); save it again");
      }
      try {
        return of(spec, v);
      } catch (IllegalArgumentException e) {
        throw NtkException.badInput(path + ": " + e.getMessage());
      }
    } catch (EOFException e) {
      throw NtkException.badInput(
          path
              + ": truncated at byte "
              + (bytes.length - 4 - bin.available())
              + " of "
              + bytes.length
              + "; save the parameters again");
    } catch (IOException e) {
      throw NtkException.badInput(path + ": cannot parse (" + e.getMessage() + ")");
    }
  }

  private static ModelSpec readSpec(DataInputStream in) throws IOException {
    int d = in.readInt();
    int m = in.readInt();
    double sigmaF = in.readDouble();
    boolean trainable = in.readBoolean();
    int n = in.readInt();
    int depth = in.readInt();
    if (depth < 0 || depth > 1 << 20) {
      throw NtkException.badInput("parameter file: implausible depth " + depth);
    }
    Activation act = Activation.parse(in.readUTF());
    int k = in.readInt();
    double sw = in.readDouble();
    double sb = in.readDouble();
    double[] alphas = new double[depth];
    for (int l = 0; l < depth; l++) {
      alphas[l] = in.readDouble();
    }
    double[] survival = new double[depth];
    for (int l = 0; l < depth; l++) {
      survival[l] = in.readDouble();
    }
    boolean residual = in.readBoolean();
    return new ModelSpec(
        d, m, sigmaF, trainable, n, depth, act, k, sw, sb, alphas, survival, residual);
  }
}
