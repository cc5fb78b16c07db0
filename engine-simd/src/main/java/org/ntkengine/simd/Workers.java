package org.ntkengine.simd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed pool of daemon threads that runs numbered tasks, the calling thread taking part. Which
 * thread runs which task is left to chance, so callers make every task own its output: the bits of
 * a result then depend on the task partition only, never on the thread count.
 */
final class Workers implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;

  /**
   * Starts {@code threads - 1} pool threads (the caller is the last one).
   *
   * @param threads the number of threads that work on one call, at least 1
   */
  Workers(int threads) {
    this.threads = threads;
    AtomicInteger serial = new AtomicInteger();
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "ntk-simd-" + serial.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  /** The number of threads that work on one call. */
  int threads() {
    return threads;
  }

  /**
   * Runs {@code task.accept(i)} for every i in [0, count) and returns when all are done.
   *
   * @param count the number of tasks
   * @param task the work of one task
   */
  void run(int count, IntConsumer task) {
    if (count <= 0) {
      return;
    }
    if (pool == null || count == 1) {
      for (int i = 0; i < count; i++) {
        task.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable drain =
        () -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            task.accept(i);
          }
        };
    int helpers = Math.min(threads - 1, count - 1);
    List<Future<?>> futures = new ArrayList<>(helpers);
    for (int h = 0; h < helpers; h++) {
      futures.add(pool.submit(drain));
    }
    Throwable failure = null;
    try {
      drain.run();
    } catch (RuntimeException | Error e) {
      failure = e;
      // Stop handing out tasks so the helpers finish soon.
      next.set(count);
    }
    boolean interrupted = false;
    for (Future<?> f : futures) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException("a worker failed", failure);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
