package org.ntkengine.backend;

/**
 * Whether a backend can run on this machine, and why not when it cannot.
 *
 * @param available true when the backend can be opened
 * @param reason a one-line explanation: what was found when available, what is missing otherwise
 */
public record Availability(boolean available, String reason) {

  /**
   * A backend that can be opened.
   *
   * @param detail what was found (for example the vector species or device name)
   * @return the availability
   */
  public static Availability yes(String detail) {
    return new Availability(true, detail);
  }

  /**
   * A backend that cannot be opened.
   *
   * @param reason what is missing and, where there is one, the fix
   * @return the availability
   */
  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
