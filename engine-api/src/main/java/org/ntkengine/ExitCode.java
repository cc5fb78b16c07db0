package org.ntkengine;

/** Process exit codes of the {@code ntk} command, one per class of failure. */
public enum ExitCode {
  /** The command did what was asked. */
  SUCCESS(0),
  /** A bug: something the engine should have caught was not. */
  INTERNAL(1),
  /** The command line was wrong: unknown option, bad value, missing argument. */
  USAGE(2),
  /** The input data was wrong: unreadable, corrupt, mis-shaped or non-finite. */
  BAD_INPUT(3),
  /** Not enough memory, or the requested device is absent or unusable. */
  RESOURCES(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /**
   * Returns the numeric process exit status.
   *
   * @return the exit status, 0 to 4
   */
  public int code() {
    return code;
  }
}
