package org.ntkengine.analytic;

import java.util.List;

/** Layers applied one after the other. */
public final class Serial implements KernelLayer {
  private final List<KernelLayer> layers;

  /**
   * Composes layers in order.
   *
   * @param layers the layers, first applied first
   */
  public Serial(List<KernelLayer> layers) {
    this.layers = List.copyOf(layers);
  }

  /**
   * Composes layers in order.
   *
   * @param layers the layers, first applied first
   * @return the composition
   */
  public static Serial of(KernelLayer... layers) {
    return new Serial(List.of(layers));
  }

  /**
   * Returns the layers in order.
   *
   * @return an unmodifiable list
   */
  public List<KernelLayer> layers() {
    return layers;
  }

  @Override
  public KernelState apply(KernelState in) {
    KernelState s = in;
    for (KernelLayer layer : layers) {
      s = layer.apply(s);
    }
    return s;
  }

  @Override
  public String toString() {
    return "Serial" + layers;
  }
}
