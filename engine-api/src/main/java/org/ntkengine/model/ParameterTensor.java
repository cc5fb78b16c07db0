package org.ntkengine.model;

/**
 * The name and shape of one parameter tensor of an NTK-ECRN network. Weights are fan_out×fan_in
 * (row-major), biases 1×fan_out.
 *
 * @param name the tensor's name, e.g. {@code block2.u.weight}
 * @param rows rows (fan_out for a weight, 1 for a bias)
 * @param cols columns (fan_in for a weight, fan_out for a bias)
 * @param trainable whether gradients and the NTK include it (the Fourier frequencies are fixed
 *     unless {@link ModelSpec#trainableFourier()})
 */
public record ParameterTensor(String name, int rows, int cols, boolean trainable) {

  /**
   * Returns the number of entries.
   *
   * @return rows·cols
   */
  public int size() {
    return rows * cols;
  }
}
