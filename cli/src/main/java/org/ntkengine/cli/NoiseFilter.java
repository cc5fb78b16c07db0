package org.ntkengine.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A line filter in front of a terminal stream that drops two kinds of JVM warning that every forked
 * benchmark JVM prints and that say nothing about the measurement: "WARNING: Using incubator
 * modules" (the Vector API is an incubator module), and on JDK 23 and later the four-line notice
 * that JMH itself calls a deprecated {@code sun.misc.Unsafe} method (the flag that silences it does
 * not exist on JDK 17, so it cannot go on the fork's command line). Every other line passes through
 * unchanged.
 */
final class NoiseFilter extends OutputStream {
  static final String INCUBATOR_WARNING = "WARNING: Using incubator modules";

  /** Whether a line is one of the warnings described above. */
  static boolean isNoise(String line) {
    if (line.startsWith(INCUBATOR_WARNING)) {
      return true;
    }
    return line.startsWith("WARNING: ")
        && (line.contains("sun.misc.Unsafe")
            || line.contains("reporting this to the maintainers of class org.openjdk.jmh."));
  }

  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private NoiseFilter(PrintStream target) {
    this.target = target;
  }

  /**
   * Wraps a stream.
   *
   * @param target where the kept lines go
   * @return the filtering stream (autoflushing, UTF-8)
   */
  static PrintStream wrap(PrintStream target) {
    return new PrintStream(new NoiseFilter(target), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void flush() {
    // A partial line waits for its end so that it can still be judged, except at close.
    target.flush();
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      emit();
    }
    target.flush();
  }

  private void emit() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (!isNoise(s)) {
      target.print(s);
    }
  }
}
