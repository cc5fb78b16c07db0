package org.ntkengine.ntk;

import java.util.Locale;
import org.ntkengine.NtkException;

/** How the empirical NTK is assembled. */
public enum NtkMethod {
  /**
   * Per-weight factors: Θ = Σ_W s_W²·(Δ_WΔ_Wᵀ) ⊙ (A_WA_Wᵀ) + Σ_b σ_b²·Δ_bΔ_bᵀ, never forming the
   * Jacobian; cost n²·(fan_in + fan_out) per weight.
   */
  STRUCTURED,
  /**
   * Tiles of the Jacobian J (rows = samples, columns = parameters) contracted J_I·J_Jᵀ tile by
   * tile; cost n²·P. A cross-check and a benchmark for the structured method.
   */
  EXPLICIT;

  /**
   * Parses {@code structured} or {@code explicit}, case-insensitively.
   *
   * @param name the name
   * @return the method
   * @throws NtkException (usage) naming the accepted values
   */
  public static NtkMethod parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw NtkException.usage("unknown NTK method '" + name + "': use structured or explicit");
    }
  }
}
