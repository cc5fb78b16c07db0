package org.ntkengine.cuda;

import java.util.Map;
import org.ntkengine.NtkException;
import org.ntkengine.backend.Availability;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.BackendProvider;

/**
 * Registers {@link CudaBackend} with {@link java.util.ServiceLoader}. It ranks above the host
 * backends, so {@code auto} takes it wherever a GPU is usable and moves on with the reason logged
 * where it is not. The probe runs once per JVM and never throws.
 */
public final class CudaBackendProvider implements BackendProvider {
  /** The rank used by {@code auto}: above simd and reference. */
  public static final int PRIORITY = 100;

  @Override
  public String name() {
    return CudaBackend.NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public Availability availability() {
    return CudaProbe.result().availability();
  }

  @Override
  public Map<String, String> details() {
    return CudaProbe.result().details();
  }

  @Override
  public Backend open() {
    CudaProbe.Result probe = CudaProbe.result();
    if (!probe.availability().available()) {
      throw NtkException.resources(
          "backend cuda is not available: " + probe.availability().reason());
    }
    return new CudaBackend(probe.device(), probe.fatbin(), probe.cublas(), probe.productPath());
  }
}
