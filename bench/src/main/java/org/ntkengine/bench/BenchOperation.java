package org.ntkengine.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmarked operation as {@code ntk bench} sees it: its JMH class, the parameter grid for a
 * quick and a full run, its flop count and an accuracy check against float64.
 */
public interface BenchOperation {

  /**
   * Returns the short name used by {@code --op}.
   *
   * @return the name, such as {@code gram}
   */
  String name();

  /**
   * Returns the JMH benchmark class.
   *
   * @return the class holding the {@code @Benchmark} method
   */
  Class<?> benchmarkClass();

  /**
   * Returns the parameter grid, backend and precision excluded.
   *
   * @param quick true for the grid of {@code --quick}
   * @return each parameter name with its values
   */
  Map<String, List<String>> grid(boolean quick);

  /**
   * Returns the floating-point operations of one invocation, or 0 where a count is meaningless.
   * {@link BenchSuite} prefers the count the benchmark's set-up reports, where it reports one.
   *
   * @param params the JMH parameters of the configuration
   * @return the flop count
   */
  double flops(Map<String, String> params);

  /**
   * Runs the operation once and measures its relative error against the float64 reference. {@link
   * BenchSuite} uses the error the benchmark's set-up reports and calls this only when the fork
   * reported none.
   *
   * @param params the JMH parameters, backend and precision included
   * @return the relative Frobenius error (or the largest relative eigenvalue error)
   */
  double relativeError(Map<String, String> params);

  /**
   * Describes the problem size for the table.
   *
   * @param params the JMH parameters
   * @return a label such as {@code n=1024 p=512}
   */
  String sizeLabel(Map<String, String> params);

  /**
   * Reads an integer parameter.
   *
   * @param params the JMH parameters
   * @param name the parameter's name
   * @return its value
   * @throws IllegalArgumentException when it is missing or not an integer
   */
  static int intParam(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "benchmark parameter " + name + " is missing in " + params);
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "benchmark parameter " + name + " must be an integer, got '" + v + "'", e);
    }
  }
}
