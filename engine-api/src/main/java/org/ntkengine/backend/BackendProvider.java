package org.ntkengine.backend;

import java.util.Map;

/**
 * A service ({@link java.util.ServiceLoader}) that describes and opens one backend. Probing must be
 * cheap and must never throw: a missing library, module or device is reported through {@link
 * #availability()}.
 */
public interface BackendProvider {

  /**
   * Returns the backend's name.
   *
   * @return the name used by {@code --backend}
   */
  String name();

  /**
   * Returns the rank used by {@code auto}: the highest available wins.
   *
   * @return the priority; reference is 0
   */
  int priority();

  /**
   * Probes whether the backend can run here.
   *
   * @return available with a detail, or unavailable with the reason
   */
  Availability availability();

  /**
   * Facts for {@code ntk backends}: vector species, device name, memory, driver.
   *
   * @return ordered key-value details, possibly empty
   */
  default Map<String, String> details() {
    return Map.of();
  }

  /**
   * Opens the backend.
   *
   * @return a new backend; the caller closes it
   * @throws org.ntkengine.NtkException (resources) when it is not available
   */
  Backend open();
}
