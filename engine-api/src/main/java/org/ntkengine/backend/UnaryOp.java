package org.ntkengine.backend;

/**
 * Element-wise functions the model's forward and backward passes apply. Each constant carries its
 * scalar definition, which every backend uses for tails and which the reference backend uses
 * throughout.
 */
public enum UnaryOp {
  /** x. */
  IDENTITY {
    @Override
    public double apply(double x) {
      return x;
    }
  },
  /** max(x, 0). */
  RELU {
    @Override
    public double apply(double x) {
      return x > 0 ? x : 0.0;
    }
  },
  /** The derivative of ReLU: 1 for x &gt; 0, else 0 (the subgradient at 0 is taken as 0). */
  RELU_DERIVATIVE {
    @Override
    public double apply(double x) {
      return x > 0 ? 1.0 : 0.0;
    }
  },
  /** The error function erf(x). */
  ERF {
    @Override
    public double apply(double x) {
      return SpecialFunctions.erf(x);
    }
  },
  /** The derivative of erf: (2/√π)·exp(−x²). */
  ERF_DERIVATIVE {
    @Override
    public double apply(double x) {
      return SpecialFunctions.TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }
  },
  /** cos(x). */
  COS {
    @Override
    public double apply(double x) {
      return Math.cos(x);
    }
  },
  /** sin(x). */
  SIN {
    @Override
    public double apply(double x) {
      return Math.sin(x);
    }
  };

  /**
   * Evaluates the function at one point.
   *
   * @param x the argument
   * @return the value
   */
  public abstract double apply(double x);
}
