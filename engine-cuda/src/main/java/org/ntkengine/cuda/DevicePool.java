package org.ntkengine.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.ntkengine.NtkException;

/**
 * Device memory in size classes, kept for reuse after a matrix is closed, because cuMemAlloc and
 * cuMemFree synchronise the device and cost far more than a small kernel. Every block is freed when
 * the pool closes, in use or not. Callers hold the backend's context current; the pool locks
 * itself.
 */
final class DevicePool {
  /** Blocks up to this size come in powers of two; larger ones in multiples of it. */
  private static final long SMALL_LIMIT = 1L << 21;

  private static final long MIN_BLOCK = 256;

  private final Map<Long, ArrayDeque<CUdeviceptr>> cached = new HashMap<>();
  private final Map<CUdeviceptr, Long> live = new IdentityHashMap<>();
  private final long cacheLimit;
  private long cachedBytes;
  private long liveBytes;

  /**
   * Creates a pool.
   *
   * @param cacheLimit the most bytes kept cached for reuse; blocks released beyond it are freed
   */
  DevicePool(long cacheLimit) {
    this.cacheLimit = cacheLimit;
  }

  /**
   * Rounds a request up to its size class.
   *
   * @param bytes the request
   * @return the block size that will be allocated
   */
  static long sizeClass(long bytes) {
    if (bytes <= MIN_BLOCK) {
      return MIN_BLOCK;
    }
    if (bytes <= SMALL_LIMIT) {
      return Long.highestOneBit(bytes - 1) << 1;
    }
    return (bytes + SMALL_LIMIT - 1) / SMALL_LIMIT * SMALL_LIMIT;
  }

  /**
   * Takes a block of at least {@code bytes}, from the cache when one of its class is there.
   *
   * @param bytes the request, positive
   * @return the block
   * @throws NtkException (resources) when the device cannot supply it even after the cache is freed
   */
  synchronized CUdeviceptr acquire(long bytes) {
    long size = sizeClass(bytes);
    ArrayDeque<CUdeviceptr> free = cached.get(size);
    CUdeviceptr block = free == null ? null : free.poll();
    if (block != null) {
      cachedBytes -= size;
    } else {
      block = allocate(size);
    }
    live.put(block, size);
    liveBytes += size;
    return block;
  }

  private CUdeviceptr allocate(long size) {
    CUdeviceptr block = new CUdeviceptr();
    try {
      JCudaDriver.cuMemAlloc(block, size);
      return block;
    } catch (CudaException e) {
      if (!e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
        throw e;
      }
    }
    // Out of memory: give the cached blocks back and try once more.
    trim();
    try {
      JCudaDriver.cuMemAlloc(block, size);
      return block;
    } catch (CudaException e) {
      long[] free = new long[1];
      long[] total = new long[1];
      JCudaDriver.cuMemGetInfo(free, total);
      throw NtkException.resources(
          String.format(
              Locale.ROOT,
              "device allocation of %.3f GiB failed: %.3f GiB free of %.3f GiB, %.3f GiB held by"
                  + " open matrices; close matrices no longer needed or compute in tiles"
                  + " (TiledGram)",
              size / 1073741824.0,
              free[0] / 1073741824.0,
              total[0] / 1073741824.0,
              liveBytes / 1073741824.0));
    }
  }

  /**
   * Returns a block for reuse, or frees it when the cache is full.
   *
   * @param block a block from {@link #acquire}
   */
  synchronized void release(CUdeviceptr block) {
    Long size = live.remove(block);
    if (size == null) {
      return;
    }
    liveBytes -= size;
    if (cachedBytes + size > cacheLimit) {
      JCudaDriver.cuMemFree(block);
      return;
    }
    cached.computeIfAbsent(size, s -> new ArrayDeque<>()).push(block);
    cachedBytes += size;
  }

  /** Frees every cached block (blocks in use stay). */
  synchronized void trim() {
    for (ArrayDeque<CUdeviceptr> blocks : cached.values()) {
      for (CUdeviceptr b : blocks) {
        JCudaDriver.cuMemFree(b);
      }
    }
    cached.clear();
    cachedBytes = 0;
  }

  /**
   * Returns the bytes held by open matrices.
   *
   * @return bytes in use
   */
  synchronized long liveBytes() {
    return liveBytes;
  }

  /**
   * Returns the bytes cached for reuse.
   *
   * @return bytes cached
   */
  synchronized long cachedBytes() {
    return cachedBytes;
  }

  /** Frees every block, in use or cached. */
  synchronized void close() {
    trim();
    for (CUdeviceptr b : live.keySet()) {
      JCudaDriver.cuMemFree(b);
    }
    live.clear();
    liveBytes = 0;
  }
}
