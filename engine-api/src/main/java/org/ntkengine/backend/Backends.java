package org.ntkengine.backend;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.ntkengine.NtkException;

/**
 * Finds backends with {@link ServiceLoader} and opens one by name, or the fastest available one for
 * {@code auto}. The system property {@code ntk.backend} overrides the name passed by callers that
 * ask for {@code auto}.
 */
public final class Backends {
  /** The name that selects the fastest available backend. */
  public static final String AUTO = "auto";

  /** The system property that forces a backend by name. */
  public static final String PROPERTY = "ntk.backend";

  private static final System.Logger LOG = System.getLogger(Backends.class.getName());

  private Backends() {}

  /**
   * Lists every backend found on the class path, fastest first.
   *
   * @return the providers, by descending priority
   */
  public static List<BackendProvider> providers() {
    List<BackendProvider> list = new ArrayList<>();
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      list.add(p);
    }
    list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
    return list;
  }

  /**
   * Opens the backend named by {@code -Dntk.backend}, or the fastest available one when the
   * property is unset.
   *
   * @return the backend; the caller closes it
   */
  public static Backend open() {
    return open(AUTO);
  }

  /**
   * Opens a backend by name; {@code auto} (or null) takes {@code -Dntk.backend} when set, else the
   * fastest available backend, and logs one line naming it and why the others were skipped.
   *
   * @param name a backend name or {@code auto}
   * @return the backend; the caller closes it
   * @throws NtkException (usage) for an unknown name, (resources) for an unavailable one; both list
   *     every backend with its availability
   */
  public static Backend open(String name) {
    String wanted = name == null ? AUTO : name.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals(AUTO)) {
      String forced = System.getProperty(PROPERTY);
      if (forced != null && !forced.isBlank()) {
        wanted = forced.trim().toLowerCase(Locale.ROOT);
      }
    }
    List<BackendProvider> all = providers();
    if (wanted.equals(AUTO)) {
      StringBuilder skipped = new StringBuilder();
      for (BackendProvider p : all) {
        Availability a = p.availability();
        if (a.available()) {
          LOG.log(
              Level.INFO,
              "backend "
                  + p.name()
                  + " (auto: fastest available; "
                  + a.reason()
                  + ")"
                  + (skipped.length() == 0 ? "" : "; skipped" + skipped));
          return p.open();
        }
        skipped.append(' ').append(p.name()).append(": ").append(a.reason()).append(';');
      }
      throw NtkException.resources("no backend is available:" + skipped);
    }
    for (BackendProvider p : all) {
      if (p.name().equals(wanted)) {
        Availability a = p.availability();
        if (!a.available()) {
          throw NtkException.resources(
              "backend '" + wanted + "' is not available: " + a.reason() + ". " + summary(all));
        }
        LOG.log(Level.INFO, "backend " + p.name() + " (requested; " + a.reason() + ")");
        return p.open();
      }
    }
    throw NtkException.usage(
        "unknown backend '" + wanted + "': use auto or one of the names below. " + summary(all));
  }

  /**
   * Opens a backend as {@link #open(String)} does and checks that it accepts a precision.
   *
   * @param name a backend name or {@code auto}
   * @param precision the precision the caller will allocate in
   * @return the backend; the caller closes it
   * @throws NtkException (usage) naming the precisions the backend supports, after closing it
   */
  public static Backend open(String name, Precision precision) {
    Backend backend = open(name);
    if (!backend.precisions().contains(precision)) {
      backend.close();
      throw NtkException.usage(
          "backend "
              + backend.name()
              + " does not support "
              + precision
              + "; it supports "
              + backend.precisions());
    }
    return backend;
  }

  private static String summary(List<BackendProvider> all) {
    StringBuilder sb = new StringBuilder("Backends:");
    for (BackendProvider p : all) {
      Availability a = p.availability();
      sb.append(' ')
          .append(p.name())
          .append(a.available() ? " (available)" : " (unavailable: " + a.reason() + ")")
          .append(';');
    }
    return sb.toString();
  }
}
