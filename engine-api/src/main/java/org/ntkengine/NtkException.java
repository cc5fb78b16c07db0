package org.ntkengine;

/**
 * An error the engine detected and can explain: its message names the problem and the fix, and its
 * {@link ExitCode} says which class of failure it is. The CLI prints the message alone, on one
 * line, and exits with the code.
 */
public class NtkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  /**
   * Creates an exception of the given class.
   *
   * @param exitCode the class of failure
   * @param message what went wrong and how to fix it
   */
  public NtkException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * Creates an exception of the given class with a cause.
   *
   * @param exitCode the class of failure
   * @param message what went wrong and how to fix it
   * @param cause the underlying exception
   */
  public NtkException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /**
   * Returns the class of failure.
   *
   * @return the exit code the CLI uses for this error
   */
  public ExitCode exitCode() {
    return exitCode;
  }

  /**
   * An error in the caller's arguments or options.
   *
   * @param message what is wrong and how to fix it
   * @return the exception
   */
  public static NtkException usage(String message) {
    return new NtkException(ExitCode.USAGE, message);
  }

  /**
   * An error in input data: a file, a row, a value.
   *
   * @param message what is wrong, where, and how to fix it
   * @return the exception
   */
  public static NtkException badInput(String message) {
    return new NtkException(ExitCode.BAD_INPUT, message);
  }

  /**
   * Not enough memory, or no usable device.
   *
   * @param message what was needed, what was there, and what to change
   * @return the exception
   */
  public static NtkException resources(String message) {
    return new NtkException(ExitCode.RESOURCES, message);
  }
}
