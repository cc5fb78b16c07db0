package org.ntkengine.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.UnaryOp;

/**
 * The device kernels of native/src/ntk_kernels.cu: their names, as the backend looks them up in the
 * module, and the fatbin resource that holds them.
 */
public final class Kernels {
  /** Class-path location of the fatbin built by the ntk-native module. */
  public static final String FATBIN_RESOURCE = "/org/ntkengine/cuda/ntk_kernels.fatbin";

  /** Class-path location of the build facts (nvcc version, architectures) written beside it. */
  public static final String INFO_RESOURCE = "/org/ntkengine/cuda/ntk_kernels.properties";

  /** C = s·(X ⊙ Y) + β·C. */
  static final String HADAMARD = "ntk_hadamard";

  /** Element-wise maps, selected by {@link #mapCode}. */
  static final String MAP = "ntk_map";

  /** Every element set to one value. */
  static final String FILL = "ntk_fill";

  /** x = β·x, writing zeros without reading x when β = 0. */
  static final String SCALE = "ntk_scale";

  /** y = α·x + β·y. */
  static final String AXPBY = "ntk_axpby";

  /** C[i, :] += s·v. */
  static final String ADD_ROW_VECTOR = "ntk_add_row_vector";

  /** out = s·Σ_i A[i, :] + β·out, accumulated in FP64. */
  static final String COLUMN_SUMS = "ntk_column_sums";

  /** Per-block FP64 partial sums of x·y. */
  static final String DOT_PARTIAL = "ntk_dot_partial";

  /** Lower triangle copied onto the upper one. */
  static final String MIRROR_LOWER = "ntk_mirror_lower";

  /** Structured NTK term s²·(G_Δ ⊙ G_A) + β·Θ on the lower triangle. */
  static final String STRUCTURED_ACCUMULATE = "ntk_structured_accumulate";

  /** Tiled row-major product with transposes and an optional lower-triangle-only mode. */
  static final String GEMM = "ntk_gemm";

  /** Register-only FMA loop that measures the card's arithmetic peak. */
  static final String PEAK_FMA = "ntk_peak_fma";

  /** The FP32 product with operands rounded to TF32 (no FP64 variant). */
  static final String GEMM_TF32 = "ntk_gemm_tf32";

  private static final String[] TYPED = {
    HADAMARD,
    MAP,
    FILL,
    SCALE,
    AXPBY,
    ADD_ROW_VECTOR,
    COLUMN_SUMS,
    DOT_PARTIAL,
    MIRROR_LOWER,
    STRUCTURED_ACCUMULATE,
    GEMM,
    PEAK_FMA
  };

  private Kernels() {}

  /**
   * Returns the name of a kernel's variant for a precision.
   *
   * @param base the kernel family, for example {@code ntk_gemm}
   * @param precision the element format; TF32 is stored as FP32
   * @return the entry point, for example {@code ntk_gemm_f32}
   */
  static String name(String base, Precision precision) {
    return base + (precision.isSingle() ? "_f32" : "_f64");
  }

  /**
   * Lists every entry point the backend looks up when it loads the module.
   *
   * @return the kernel names, unmodifiable
   */
  public static List<String> allNames() {
    List<String> names = new ArrayList<>();
    for (String base : TYPED) {
      names.add(base + "_f32");
      names.add(base + "_f64");
    }
    names.add(GEMM_TF32);
    return Collections.unmodifiableList(names);
  }

  /**
   * Returns the code the map kernel uses for an operation (the MapOp enum of the .cu file).
   *
   * @param op the operation
   * @return its code
   */
  static int mapCode(UnaryOp op) {
    return switch (op) {
      case IDENTITY -> 0;
      case RELU -> 1;
      case RELU_DERIVATIVE -> 2;
      case ERF -> 3;
      case ERF_DERIVATIVE -> 4;
      case COS -> 5;
      case SIN -> 6;
    };
  }

  /**
   * Reads the fatbin from the class path.
   *
   * @return its bytes, or null when the jar was built without nvcc
   * @throws UncheckedIOException when the resource exists but cannot be read
   */
  public static byte[] fatbin() {
    try (InputStream in = Kernels.class.getResourceAsStream(FATBIN_RESOURCE)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FATBIN_RESOURCE, e);
    }
  }

  /**
   * Reads the build facts written beside the fatbin: {@code nvcc}, {@code archs}, {@code ptx}.
   *
   * @return the properties, empty when the fatbin was not built
   * @throws UncheckedIOException when the resource exists but cannot be read
   */
  public static Properties buildInfo() {
    Properties p = new Properties();
    try (InputStream in = Kernels.class.getResourceAsStream(INFO_RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INFO_RESOURCE, e);
    }
    return p;
  }
}
