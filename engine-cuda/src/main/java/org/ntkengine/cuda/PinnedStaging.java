package org.ntkengine.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/**
 * Page-locked host buffers for transfers: the driver copies from pinned memory by DMA at full bus
 * speed, where pageable memory goes through a bounce buffer. Transfers of any size pass through one
 * buffer in chunks. A buffer serves one thread at a time; there are as many as threads copy at
 * once, and all are freed on close. Callers hold the backend's context current.
 */
final class PinnedStaging {
  /** Bytes per buffer: large enough to reach full bus bandwidth, small enough to keep many. */
  static final int CHUNK_BYTES = 8 << 20;

  /** One pinned buffer and a native-order view of it. */
  static final class Buffer {
    final Pointer host;
    final ByteBuffer bytes;

    Buffer(Pointer host, ByteBuffer bytes) {
      this.host = host;
      this.bytes = bytes;
    }
  }

  private final ConcurrentLinkedDeque<Buffer> idle = new ConcurrentLinkedDeque<>();
  private final List<Buffer> all = new ArrayList<>();

  /**
   * Takes an idle buffer or pins a new one.
   *
   * @return a buffer for this thread alone until {@link #give}
   */
  Buffer take() {
    Buffer b = idle.poll();
    if (b != null) {
      return b;
    }
    Pointer host = new Pointer();
    JCudaDriver.cuMemAllocHost(host, CHUNK_BYTES);
    b = new Buffer(host, host.getByteBuffer(0, CHUNK_BYTES).order(ByteOrder.nativeOrder()));
    synchronized (all) {
      all.add(b);
    }
    return b;
  }

  /**
   * Returns a buffer taken with {@link #take}.
   *
   * @param b the buffer
   */
  void give(Buffer b) {
    idle.push(b);
  }

  /** Unpins every buffer. */
  void close() {
    synchronized (all) {
      for (Buffer b : all) {
        JCudaDriver.cuMemFreeHost(b.host);
      }
      all.clear();
    }
    idle.clear();
  }
}
