package org.ntkengine.model;

import java.util.Locale;
import org.ntkengine.NtkException;
import org.ntkengine.backend.UnaryOp;

/** The hidden non-linearity φ of NTK-ECRN's residual branches. */
public enum Activation {
  /** φ(u) = max(u, 0); arc-cosine kernels in the infinite-width limit. */
  RELU(UnaryOp.RELU, UnaryOp.RELU_DERIVATIVE),
  /** φ(u) = erf(u); arcsine kernels in the infinite-width limit. */
  ERF(UnaryOp.ERF, UnaryOp.ERF_DERIVATIVE);

  private final UnaryOp function;
  private final UnaryOp derivative;

  Activation(UnaryOp function, UnaryOp derivative) {
    this.function = function;
    this.derivative = derivative;
  }

  /**
   * Returns φ as a backend operation.
   *
   * @return the element-wise function
   */
  public UnaryOp function() {
    return function;
  }

  /**
   * Returns φ′ as a backend operation.
   *
   * @return the element-wise derivative
   */
  public UnaryOp derivative() {
    return derivative;
  }

  /**
   * Parses {@code relu} or {@code erf}, case-insensitively.
   *
   * @param name the name
   * @return the activation
   * @throws NtkException (usage) naming the accepted values
   */
  public static Activation parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw NtkException.usage("unknown activation '" + name + "': use relu or erf");
    }
  }
}
