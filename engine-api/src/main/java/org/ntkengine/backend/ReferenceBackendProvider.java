package org.ntkengine.backend;

/** Registers {@link ReferenceBackend} with {@link java.util.ServiceLoader}; always available. */
public final class ReferenceBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return ReferenceBackend.NAME;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Availability availability() {
    return Availability.yes("plain Java, float64 accumulation");
  }

  @Override
  public Backend open() {
    return new ReferenceBackend();
  }
}
