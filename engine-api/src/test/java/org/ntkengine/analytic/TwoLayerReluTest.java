package org.ntkengine.analytic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed values for Dense(σ_w = 1) → ReLU → Dense(σ_w = 1), σ_b = 0, on x·x′/d. With q =
 * x·x/d and identical inputs (θ = 0): NNGP = F = q/2, NTK = F + Ḟ·q = q/2 + q/2 = q. For x = [1,
 * 0]: q = 1/2, so NNGP 1/4 and NTK 1/2; for x = [0.3, 0.5]: q = 0.34/2 = 0.17, NNGP 0.085, NTK
 * 0.17. A zero input has q = 0, so F = 0 and its pre-activation is identically 0 (φ′(0) = 0).
 */
class TwoLayerReluTest {
  private static AnalyticNetwork net() {
    return new AnalyticNetwork(
        new LinearInput(), List.of(new Dense(1, 0), new Relu(), new Dense(1, 0)));
  }

  @Test
  void zeroInputGivesZerosNotNaN() {
    AnalyticKernel k = net().kernel(new double[] {0, 0, 1, 0}, 2, 2);
    double[] nngp = {0, 0, 0, 0.25};
    double[] ntk = {0, 0, 0, 0.5};
    for (int i = 0; i < 4; i++) {
      assertTrue(Double.isFinite(k.nngp()[i]) && Double.isFinite(k.ntk()[i]), "entry " + i);
      assertEquals(nngp[i], k.nngp()[i], 1e-15, "NNGP entry " + i);
      assertEquals(ntk[i], k.ntk()[i], 1e-15, "NTK entry " + i);
    }
  }

  @Test
  void identicalInputsSitOnTheBoundaryExactly() {
    // x·x′/√(q·q′) rounds to 1.0000000000000002 here; the identity mask makes θ = 0 exact.
    AnalyticKernel k = net().kernel(new double[] {0.3, 0.5, 0.3, 0.5}, 2, 2);
    for (int i = 0; i < 4; i++) {
      assertEquals(0.085, k.nngp()[i], 1e-15, "NNGP entry " + i);
      assertEquals(0.17, k.ntk()[i], 1e-15, "NTK entry " + i);
    }
    AnalyticKernel two = net().kernel(new double[] {0.3, 0.5}, 1, new double[] {0.3, 0.5}, 1, 2);
    assertEquals(0.085, two.nngp(0, 0), 1e-15);
    assertEquals(0.17, two.ntk(0, 0), 1e-15);
  }

  @Test
  void nearlyIdenticalInputsStayFinite() {
    // Not bit-identical, so the general formula runs and the cosine needs its clamp.
    double[] x = {0.3, 0.5, 0.3, Math.nextUp(0.5)};
    AnalyticKernel k = net().kernel(x, 2, 2);
    assertEquals(0.085, k.nngp(0, 1), 1e-12);
    assertEquals(0.17, k.ntk(0, 1), 1e-7);
    assertTrue(Double.isFinite(k.ntk(0, 1)));
  }

  @Test
  void unitInputHasNtkOneHalf() {
    AnalyticKernel k = net().kernel(new double[] {1, 0}, 1, 2);
    assertEquals(0.5, k.ntk(0, 0), 1e-12);
    assertEquals(0.25, k.nngp(0, 0), 1e-12);
  }

  @Test
  void orthogonalInputsFollowTheArcCosine() {
    // x = [1, 0], x′ = [0, 1]: q = q′ = 1/2, c = 0, θ = π/2: F = (1/2)(1 + 0)/(2π) = 1/(4π),
    // Ḟ = 1/4, NTK = F + Ḟ·c = 1/(4π).
    AnalyticKernel k = net().kernel(new double[] {1, 0}, 1, new double[] {0, 1}, 1, 2);
    assertEquals(1 / (4 * Math.PI), k.nngp(0, 0), 1e-15);
    assertEquals(1 / (4 * Math.PI), k.ntk(0, 0), 1e-15);
  }
}
