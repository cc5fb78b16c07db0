package org.ntkengine.analytic;

/**
 * One layer of an infinite-width network: maps the NNGP and NTK of its input representation to
 * those of its output (the layer's own parameters included in the NTK). Implementations are
 * immutable and thread-safe.
 */
@FunctionalInterface
public interface KernelLayer {
  /**
   * Propagates the kernels through this layer.
   *
   * @param in the kernels of the layer's input (not modified)
   * @return the kernels of the layer's output
   */
  KernelState apply(KernelState in);
}
