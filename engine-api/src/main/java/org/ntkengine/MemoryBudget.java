package org.ntkengine;

import java.util.Locale;

/** Checks a planned allocation against the Java heap before it is made. */
public final class MemoryBudget {
  private MemoryBudget() {}

  /**
   * Returns the bytes the Java heap can still grow by.
   *
   * @return the maximum heap minus what is in use
   */
  public static long availableHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Fails with a clear message when the heap cannot hold the bytes a step needs.
   *
   * @param bytes the estimate
   * @param what the step, for the message
   * @throws NtkException (resources) saying how much is needed and how much there is
   */
  public static void require(long bytes, String what) {
    long free = availableHeapBytes();
    if (bytes > free) {
      throw NtkException.resources(
          String.format(
              Locale.ROOT,
              "%s needs %.2f GiB, the Java heap has %.2f GiB free; raise it with"
                  + " NTK_JAVA_OPTS=-Xmx<size> or reduce the problem",
              what,
              bytes / 1073741824.0,
              free / 1073741824.0));
    }
  }
}
