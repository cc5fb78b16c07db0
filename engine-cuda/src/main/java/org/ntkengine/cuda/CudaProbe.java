package org.ntkengine.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import org.ntkengine.backend.Availability;

/**
 * Finds out once per JVM whether the CUDA backend can run here, and why not: the kernel fatbin in
 * the jar, the driver library (libcuda.so.1), a device, a driver new enough for the fatbin, the
 * module actually loading, and whether CUDA 12's cuBLAS loads (else the engine's own kernels do the
 * products). Never throws: every failure, {@link UnsatisfiedLinkError} included, becomes a one-line
 * reason.
 */
final class CudaProbe {
  /** Set to {@code false} to use the engine's kernels even where cuBLAS 12 loads. */
  static final String CUBLAS_PROPERTY = "ntk.cuda.cublas";

  /** Selects the device by ordinal (default 0). */
  static final String DEVICE_PROPERTY = "ntk.cuda.device";

  /** Lowest compute capability the fatbin has machine code for (sm_75). */
  private static final int MIN_COMPUTE_CAPABILITY = 75;

  /**
   * What the probe found.
   *
   * @param availability available with a summary, or the reason it is not
   * @param details device name, memory, driver and product path, in display order
   * @param device the device ordinal to open
   * @param fatbin the kernels, or null when absent
   * @param cublas whether CUDA 12's cuBLAS loaded and is to be used
   * @param productPath which library does the products and why
   */
  record Result(
      Availability availability,
      Map<String, String> details,
      int device,
      byte[] fatbin,
      boolean cublas,
      String productPath) {}

  private static final class Holder {
    static final Result RESULT = runSafely();
  }

  private CudaProbe() {}

  /**
   * Returns the probe's result, computing it on first use.
   *
   * @return the result; never null
   */
  static Result result() {
    return Holder.RESULT;
  }

  private static Result runSafely() {
    try {
      return run();
    } catch (Throwable t) {
      // Last line of defence: a JNI library may fail in ways the steps below did not foresee.
      return unavailable("the CUDA probe failed unexpectedly: " + oneLine(t), Map.of());
    }
  }

  private static Result run() {
    // ---- the kernels in the jar
    byte[] fatbin = Kernels.fatbin();
    Properties build = Kernels.buildInfo();
    Map<String, String> details = new LinkedHashMap<>();
    if (fatbin == null) {
      return unavailable(
          "this build holds no CUDA kernels ("
              + build.getProperty("skipped", "no fatbin resource")
              + "); install the CUDA toolkit and rebuild",
          Map.of());
    }
    String builtWith = build.getProperty("nvcc", "unknown");
    details.put(
        "kernels",
        "nvcc "
            + builtWith
            + ", sm_"
            + build.getProperty("archs", "?").trim().replace(" ", " sm_")
            + ", PTX compute_"
            + build.getProperty("ptx", "?"));

    // ---- the driver library
    try {
      JCudaDriver.setExceptionsEnabled(true);
      JCudaDriver.cuInit(0);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return unavailable(
          "no NVIDIA driver: JCuda's driver binding did not load (" + linkFailure(e) + ")",
          details);
    } catch (CudaException e) {
      return unavailable("cuInit failed: " + oneLine(e) + " (no usable GPU or driver)", details);
    }

    // ---- a device, and a driver new enough for the fatbin
    int[] version = new int[1];
    JCudaDriver.cuDriverGetVersion(version);
    String driver = (version[0] / 1000) + "." + (version[0] % 1000) / 10;
    details.put("driver CUDA version", driver);
    int[] count = new int[1];
    JCudaDriver.cuDeviceGetCount(count);
    if (count[0] == 0) {
      return unavailable("the NVIDIA driver (CUDA " + driver + ") reports no device", details);
    }
    int ordinal = Integer.getInteger(DEVICE_PROPERTY, 0);
    if (ordinal < 0 || ordinal >= count[0]) {
      return unavailable(
          "-D" + DEVICE_PROPERTY + "=" + ordinal + " but there are " + count[0] + " devices",
          details);
    }
    int required = requiredDriverVersion(builtWith);
    if (version[0] < required) {
      return unavailable(
          String.format(
              Locale.ROOT,
              "driver too old: it supports CUDA %s, the kernels were built with nvcc %s and need a"
                  + " driver for CUDA %d.%d or newer",
              driver,
              builtWith,
              required / 1000,
              (required % 1000) / 10),
          details);
    }
    CUdevice device = new CUdevice();
    JCudaDriver.cuDeviceGet(device, ordinal);
    byte[] nameBytes = new byte[256];
    JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, device);
    String name = cString(nameBytes);
    long[] total = new long[1];
    JCudaDriver.cuDeviceTotalMem(total, device);
    int capability = computeCapability(device);
    details.put("device", ordinal + ": " + name);
    details.put("memory", String.format(Locale.ROOT, "%.1f GiB", total[0] / 1073741824.0));
    details.put("compute capability", (capability / 10) + "." + (capability % 10));
    if (capability < MIN_COMPUTE_CAPABILITY) {
      return unavailable(
          name
              + " has compute capability "
              + (capability / 10)
              + "."
              + (capability % 10)
              + "; the kernels need 7.5 or newer",
          details);
    }

    // ---- the module loads (the final word on driver and architecture compatibility)
    String loadError = tryLoadModule(device, fatbin);
    if (loadError != null) {
      return unavailable("the driver could not load the kernel fatbin: " + loadError, details);
    }

    // ---- cuBLAS 12, or the engine's own products
    boolean cublas;
    String path;
    if (!Boolean.parseBoolean(System.getProperty(CUBLAS_PROPERTY, "true"))) {
      cublas = false;
      path = "engine kernels (-D" + CUBLAS_PROPERTY + "=false)";
    } else {
      String cublasError = tryLoadCublas();
      cublas = cublasError == null;
      path =
          cublas
              ? "cuBLAS 12 (libcublas.so.12)"
              : "engine kernels (JCublas 12 needs libcublas.so.12: " + cublasError + ")";
    }
    details.put("products", path);
    String summary =
        String.format(
            Locale.ROOT,
            "%s, %.1f GiB, sm_%d, driver CUDA %s, products by %s",
            name,
            total[0] / 1073741824.0,
            capability,
            driver,
            cublas ? "cuBLAS 12" : "engine kernels");
    return new Result(
        Availability.yes(summary),
        Collections.unmodifiableMap(details),
        ordinal,
        fatbin,
        cublas,
        path);
  }

  private static int computeCapability(CUdevice device) {
    int[] major = new int[1];
    int[] minor = new int[1];
    JCudaDriver.cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
    JCudaDriver.cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
    return major[0] * 10 + minor[0];
  }

  /** Returns null when the module loads in the device's primary context, else the error. */
  private static String tryLoadModule(CUdevice device, byte[] fatbin) {
    CUcontext context = new CUcontext();
    try {
      JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
    } catch (CudaException e) {
      return "cannot create a context: " + oneLine(e);
    }
    try {
      JCudaDriver.cuCtxSetCurrent(context);
      CUmodule module = new CUmodule();
      JCudaDriver.cuModuleLoadData(module, fatbin);
      JCudaDriver.cuModuleUnload(module);
      return null;
    } catch (CudaException e) {
      return oneLine(e);
    } finally {
      JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
  }

  /** Returns null when JCublas2's JNI library (and so libcublas.so.12) loads, else the error. */
  private static String tryLoadCublas() {
    try {
      JCublas2.initialize();
      JCublas2.setExceptionsEnabled(true);
      return null;
    } catch (Throwable t) {
      return linkFailure(t);
    }
  }

  /**
   * The dynamic linker's own words from a JCuda load failure, such as {@code libcuda.so.1: cannot
   * open shared object file: No such file or directory}; JCuda wraps them in a long multi-line
   * message whose first line names only its own library.
   */
  static String linkFailure(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    String found = null;
    for (String line : message.split("\n")) {
      int error = line.indexOf("UnsatisfiedLinkError: /");
      int so = error < 0 ? -1 : line.indexOf(".so: ", error);
      if (so >= 0) {
        found = line.substring(so + 5).strip();
      }
    }
    return found != null ? found : oneLine(t);
  }

  /**
   * The driver version a fatbin from this nvcc needs: PTX and cubins of CUDA 13.x load on a CUDA 13
   * driver, those of CUDA 12.x on a CUDA 12 driver.
   */
  static int requiredDriverVersion(String nvccVersion) {
    try {
      int major = Integer.parseInt(nvccVersion.split("\\.")[0]);
      return major * 1000;
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return 12000;
    }
  }

  private static Result unavailable(String reason, Map<String, String> details) {
    return new Result(
        Availability.no(reason), Collections.unmodifiableMap(details), 0, null, false, null);
  }

  /** The first line of a throwable's message, with its type when the message is empty. */
  static String oneLine(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    String first = message.strip().lines().findFirst().orElse(message).strip();
    return first.length() > 300 ? first.substring(0, 300) + "..." : first;
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
