package org.ntkengine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.backend.ReferenceBackend;
import org.ntkengine.model.Gradient;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.Parameters;
import org.ntkengine.model.SeededRandom;

/** The trainer against a hand-written gradient-descent loop, and its checkpoint schedule. */
class TrainerTest {
  private static final ModelSpec SPEC =
      ModelSpec.builder(3)
          .fourierFeatures(4)
          .fourierSigma(0.5)
          .width(8)
          .depth(2)
          .outputs(2)
          .build();

  @Test
  void fullBatchStepsEqualAManualLoopAndCheckpointsFollowTheSchedule() {
    int n = 6;
    double[] x = SeededRandom.stream(1, "x").gaussians(new double[n * 3]);
    double[] y = SeededRandom.stream(2, "y").gaussians(new double[n * 2]);
    Parameters init = Parameters.initialize(SPEC, 5L);
    double eta = 0.05;
    try (Backend be = new ReferenceBackend()) {
      double[] manual;
      try (Network net = new Network(be, Precision.FP64, init);
          Matrix xm = Network.upload(be, Precision.FP64, x, n, 3);
          Matrix ym = Network.upload(be, Precision.FP64, y, n, 2)) {
        for (int s = 0; s < 5; s++) {
          try (Gradient g = net.lossGradient(xm, ym)) {
            net.step(g, eta);
          }
        }
        manual = net.parameters().get("readout.weight");
      }
      List<Integer> seen = new ArrayList<>();
      double[] trained;
      try (Network net = new Network(be, Precision.FP64, init)) {
        int taken =
            new Trainer(net, x, y, n, new Trainer.Options(5, 2, eta, 0, 9L))
                .run(
                    (step, network, loss) -> {
                      seen.add(step);
                      return true;
                    });
        assertEquals(5, taken);
        trained = net.parameters().get("readout.weight");
      }
      assertEquals(List.of(0, 2, 4, 5), seen, "step 0, every 2 steps and the last");
      assertArrayEquals(manual, trained, 1e-13);
    }
  }

  @Test
  void theListenerCanStopTraining() {
    double[] x = new double[4 * 3];
    double[] y = new double[4 * 2];
    try (Backend be = new ReferenceBackend();
        Network net = Network.initialize(be, Precision.FP64, SPEC, 1L)) {
      int taken =
          new Trainer(net, x, y, 4, new Trainer.Options(10, 1, 0.01, 2, 3L))
              .run((step, network, loss) -> step < 3);
      assertEquals(3, taken);
    }
  }
}
