package org.ntkengine.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.data.Dataset;
import org.ntkengine.data.Synthetic;
import org.ntkengine.linalg.LanczosResult;
import org.ntkengine.linalg.LanczosSolver;
import org.ntkengine.linalg.SymmetricOperator;
import org.ntkengine.model.Gradient;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.ntk.MatrixFreeNtk;

/**
 * Determinism, concurrent use and resource release on one backend: the same seed gives the same
 * bits, eight threads sharing the backend get the results one thread gets, and a whole workload
 * leaves no matrix open.
 */
public abstract class RobustnessContract extends BackendContract {

  private static final ModelSpec SPEC =
      ModelSpec.builder(2).fourierFeatures(8).width(24).depth(2).outputs(2).build();

  /** The empirical NTK of a seeded network on a seeded data set, downloaded. */
  private double[] kernel(long seed, Dataset data, Precision p) {
    try (Network net = Network.initialize(backend, p, SPEC, seed);
        Matrix x = data.inputs(backend, p);
        Matrix theta = new EmpiricalNtk(net).kernel(x)) {
      return download(theta);
    }
  }

  @Test
  void sameSeedGivesTheSameBits() {
    Dataset data = Synthetic.hf2d(23, 5);
    for (Precision p : new Precision[] {Precision.FP32, Precision.FP64}) {
      assertArrayEquals(kernel(7, data, p), kernel(7, data, p), 0.0, "kernel bits, " + p);
    }
  }

  @Test
  void eightThreadsSharingTheBackendGetWhatOneThreadGets() throws Exception {
    int threads = 8;
    List<Dataset> sets = new ArrayList<>();
    List<double[]> expected = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Dataset d = Synthetic.hf2d(17 + t, 100 + t);
      sets.add(d);
      expected.add(kernel(t, d, Precision.FP64));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<double[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(pool.submit(() -> kernel(id, sets.get(id), Precision.FP64)));
      }
      for (int t = 0; t < threads; t++) {
        assertArrayEquals(expected.get(t), results.get(t).get(), 0.0, "thread " + t);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWholeWorkloadLeavesNoMatrixOpen() {
    long before = backend.liveAllocations();
    assertTrue(before >= 0, backend.name() + " must count its live allocations");
    Dataset data = Synthetic.hf2d(19, 3);
    ModelSpec oneOutput = SPEC.toBuilder().outputs(1).build();
    try (Network net = Network.initialize(backend, Precision.FP64, oneOutput, 1);
        Matrix x = data.inputs(backend, Precision.FP64);
        Matrix y = data.targets(backend, Precision.FP64)) {
      for (int step = 0; step < 3; step++) {
        try (Gradient g = net.lossGradient(x, y)) {
          net.step(g, 0.1);
        }
      }
      EmpiricalNtk ntk = new EmpiricalNtk(net);
      try (Matrix theta = ntk.kernel(x);
          MatrixFreeNtk free = ntk.operator(x)) {
        LanczosResult dense = LanczosSolver.top(SymmetricOperator.dense(backend, theta), 3, 1e-8);
        LanczosResult implicit = LanczosSolver.top(free, 3, 1e-8);
        assertEquals(dense.eigenvalues()[0], implicit.eigenvalues()[0], 1e-6 * dense.lambdaMax());
      }
      try (Matrix f = net.forward(x)) {
        assertEquals(data.size(), f.rows());
      }
    }
    assertEquals(before, backend.liveAllocations(), "matrices left open by the workload");
  }
}
