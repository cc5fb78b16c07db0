package org.ntkengine.cli;

import java.io.PrintWriter;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ntk} command: neural tangent kernels of NTK-ECRN, their spectra and training dynamics.
 * Every engine error is printed as one line and mapped to a documented exit code.
 */
@Command(
    name = "ntk",
    mixinStandardHelpOptions = true,
    version = "ntk 0.1.0",
    description = "Neural tangent kernels on the JVM: empirical and infinite-width, spectra.",
    subcommands = {
      BackendsCommand.class,
      GramCommand.class,
      KernelCommand.class,
      ConvergeCommand.class,
      SpectrumCommand.class,
      AnalyzeCommand.class,
      BenchCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 internal error, 2 usage, 3 bad input data,",
      "4 not enough memory or no device."
    })
public final class Main implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a command is required: see ntk --help");
  }

  /**
   * Runs the command line and returns the exit status.
   *
   * @param args the arguments
   * @return the exit status (see {@link ExitCode})
   */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("ntk: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // Estimates run before large allocations; this is the backstop for what they missed.
      cl.getErr()
          .println(
              "ntk: out of Java heap (max "
                  + Runtime.getRuntime().maxMemory() / (1 << 20)
                  + " MiB); raise it with NTK_JAVA_OPTS=-Xmx<size> or use a smaller problem");
      cl.getErr().flush();
      return ExitCode.RESOURCES.code();
    }
  }

  private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    Throwable t = ex;
    while (!(t instanceof NtkException) && t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    if (t instanceof NtkException nex) {
      err.println("ntk: " + nex.getMessage());
      return nex.exitCode().code();
    }
    if (ex instanceof IllegalArgumentException) {
      err.println("ntk: " + ex.getMessage());
      return ExitCode.USAGE.code();
    }
    err.println("ntk: internal error: " + ex + " (please report it with the command line)");
    if (Boolean.getBoolean("ntk.debug")) {
      ex.printStackTrace(err);
    } else {
      err.println("ntk: rerun with NTK_JAVA_OPTS=-Dntk.debug=true for the stack trace");
    }
    return ExitCode.INTERNAL.code();
  }

  /**
   * Entry point.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    // One line per log record (the library logs choices at INFO and problems at WARNING).
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "ntk: %4$s: %5$s%6$s%n");
    }
    System.exit(execute(args));
  }
}
