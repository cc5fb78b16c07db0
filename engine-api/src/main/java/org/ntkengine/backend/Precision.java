package org.ntkengine.backend;

import java.util.Locale;
import org.ntkengine.NtkException;

/** The number format a matrix is stored in, and in which its products are computed. */
public enum Precision {
  /** IEEE binary32 storage and arithmetic (a backend may accumulate in binary64). */
  FP32(Float.BYTES),
  /** IEEE binary64 storage and arithmetic. */
  FP64(Double.BYTES),
  /**
   * Binary32 storage whose products may run on tensor cores with a 10-bit mantissa (TF32). Only
   * backends that list it in {@link Backend#precisions()} accept it; it is never chosen silently.
   */
  TF32(Float.BYTES);

  private final int bytes;

  Precision(int bytes) {
    this.bytes = bytes;
  }

  /**
   * Returns the size of one stored element.
   *
   * @return bytes per element
   */
  public int bytes() {
    return bytes;
  }

  /**
   * Whether elements are stored as {@code float}.
   *
   * @return true for FP32 and TF32
   */
  public boolean isSingle() {
    return this != FP64;
  }

  /**
   * Parses a user-supplied name such as {@code fp32}, case-insensitively.
   *
   * @param name the name
   * @return the precision
   * @throws NtkException (usage) naming the accepted values when the name is unknown
   */
  public static Precision parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw NtkException.usage(
          "unknown precision '" + name + "': use one of fp32, fp64, tf32 (tf32 on cuda only)");
    }
  }
}
