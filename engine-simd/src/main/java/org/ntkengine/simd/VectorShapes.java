package org.ntkengine.simd;

import java.util.LinkedHashMap;
import java.util.Map;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses, fixed once per JVM. They are {@code static final} because
 * C2 folds only constant species into straight SIMD code; a species held in an ordinary field or
 * passed as an argument ran about 50 times slower. The width is the platform's preferred one unless
 * {@code -Dntk.simd.bits=256} (or 128, 512) asks for another, which matters on cores that split
 * 512-bit FMAs into two 256-bit halves.
 */
final class VectorShapes {
  /** The system property that overrides the vector width in bits. */
  static final String BITS_PROPERTY = "ntk.simd.bits";

  /** The species of the FP32 kernels. */
  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED.withShape(shape());

  /** The species of the FP64 kernels, as wide as {@link #FLOATS}. */
  static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED.withShape(shape());

  private VectorShapes() {}

  private static VectorShape shape() {
    VectorShape preferred = VectorShape.preferredShape();
    String bits = System.getProperty(BITS_PROPERTY);
    if (bits == null || bits.isBlank()) {
      return preferred;
    }
    int wanted;
    try {
      wanted = Integer.parseInt(bits.trim());
    } catch (NumberFormatException e) {
      return preferred;
    }
    // A shape wider than the hardware's would be emulated in scalar code.
    if (wanted != 128 && wanted != 256 && wanted != 512 || wanted > preferred.vectorBitSize()) {
      return preferred;
    }
    return VectorShape.forBitSize(wanted);
  }

  /** One line for the availability report: the species in use. */
  static String summary() {
    return "Vector API, "
        + FLOATS.vectorBitSize()
        + "-bit vectors ("
        + FLOATS.length()
        + " floats, "
        + DOUBLES.length()
        + " doubles), FMA micro-kernels";
  }

  /** The preferred species, the ones in use and the register block of each precision. */
  static Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("preferred float species", FloatVector.SPECIES_PREFERRED.toString());
    d.put("preferred double species", DoubleVector.SPECIES_PREFERRED.toString());
    d.put("float species in use", FLOATS.toString());
    d.put("double species in use", DOUBLES.toString());
    d.put(
        "fp32 blocking",
        "MR="
            + GemmF32.MR
            + " NR="
            + GemmF32.NR
            + " KC="
            + GemmF32.KC
            + " MC="
            + GemmF32.MC
            + " NC="
            + GemmF32.NC
            + " NS="
            + GemmF32.NS);
    d.put(
        "fp64 blocking",
        "MR="
            + GemmF64.MR
            + " NR="
            + GemmF64.NR
            + " KC="
            + GemmF64.KC
            + " MC="
            + GemmF64.MC
            + " NC="
            + GemmF64.NC
            + " NS="
            + GemmF64.NS);
    return d;
  }
}
