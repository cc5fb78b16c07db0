package org.ntkengine.simd;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Availability;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.BackendProvider;

/**
 * Registers {@link SimdBackend} with {@link java.util.ServiceLoader}. It is available when the
 * module {@code jdk.incubator.vector} is resolved and the JIT can compile the Vector API into SIMD
 * instructions; the probe looks at the module layer before any Vector API class is touched, so it
 * never fails with {@link NoClassDefFoundError}.
 */
public final class SimdBackendProvider implements BackendProvider {
  /** The module that holds the Vector API. */
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  @Override
  public String name() {
    return SimdBackend.NAME;
  }

  /**
   * Ranks simd above reference (0) and below device backends.
   *
   * @return 50
   */
  @Override
  public int priority() {
    return 50;
  }

  @Override
  public Availability availability() {
    String missing = whyNot();
    if (missing != null) {
      return Availability.no(missing);
    }
    return Availability.yes(VectorShapes.summary());
  }

  /**
   * Lists the preferred vector species, the species the kernels use, the register block and the
   * thread count; only the module's state when the Vector API cannot be used.
   *
   * @return ordered details for {@code ntk backends}
   */
  @Override
  public Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    if (whyNot() != null) {
      d.put("module " + VECTOR_MODULE, isModuleResolved() ? "resolved" : "not resolved");
      return d;
    }
    d.putAll(VectorShapes.details());
    d.put("threads", Integer.toString(SimdBackend.defaultThreads()));
    return d;
  }

  @Override
  public Backend open() {
    String missing = whyNot();
    if (missing != null) {
      throw NtkException.resources("backend " + SimdBackend.NAME + " is not available: " + missing);
    }
    return new SimdBackend();
  }

  private static boolean isModuleResolved() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** Returns why the backend cannot run here, or null when it can. */
  static String whyNot() {
    if (!isModuleResolved()) {
      return "module "
          + VECTOR_MODULE
          + " is not resolved: start the JVM with --add-modules="
          + VECTOR_MODULE;
    }
    String vmInfo = System.getProperty("java.vm.info", "");
    if (vmInfo.contains("interpreted")) {
      return "the JIT is off (-Xint): the Vector API would run far slower than the reference"
          + " backend; drop -Xint";
    }
    String tierCap = vmOption("TieredStopAtLevel");
    String tiered = vmOption("TieredCompilation");
    if (tierCap != null && !"false".equals(tiered) && Integer.parseInt(tierCap) < 4) {
      return "the C2 compiler is off (-XX:TieredStopAtLevel="
          + tierCap
          + "): only C2 turns the Vector API into SIMD instructions; drop that flag";
    }
    return null;
  }

  /** Reads a HotSpot flag, or null where the JVM does not expose it. */
  private static String vmOption(String name) {
    try {
      return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name)
          .getValue();
    } catch (RuntimeException | LinkageError e) {
      // Not HotSpot, or jdk.management absent: no way to tell, so assume the default JIT.
      return null;
    }
  }
}
