package org.ntkengine.bench;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The logging set-up of the forked benchmark JVMs, named by {@code
 * -Djava.util.logging.config.class}: warnings and errors only, one line each, so that the choices
 * the engine logs at INFO in every fork (which backend, which tiling) do not interleave with the
 * table the parent prints.
 */
public final class ForkLogging {

  /** Configures the root logger; {@link java.util.logging.LogManager} calls it once per JVM. */
  public ForkLogging() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler h = new ConsoleHandler();
    h.setLevel(Level.WARNING);
    h.setFormatter(
        new Formatter() {
          @Override
          public String format(LogRecord r) {
            return "ntk bench fork: "
                + r.getLevel()
                + ": "
                + formatMessage(r)
                + System.lineSeparator();
          }
        });
    root.addHandler(h);
    root.setLevel(Level.WARNING);
  }
}
