package org.ntkengine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Draws the plots of an {@code ntk analyze} report from its map (whatever stages it holds). */
final class ReportPlots {
  private static final int DENSITY_GRID = 200;
  private static final double MODE_FLOOR = 1e-6;

  private ReportPlots() {}

  /**
   * Writes spectrum.png, density.png, eigenvalues.png, drift.png, loss.png, modes.png and
   * compare.png, each only when the report holds its data.
   *
   * @param report the report map
   * @param dir the output directory
   */
  @SuppressWarnings("unchecked")
  static void write(Map<String, Object> report, Path dir) {
    Map<String, Object> s = (Map<String, Object>) report.get("spectrum");
    if (s != null) {
      spectrum(s, dir);
    }
    List<Map<String, Object>> t = (List<Map<String, Object>>) report.get("training");
    if (t != null && !t.isEmpty()) {
      training(t, dir);
    }
    List<Map<String, Object>> c = (List<Map<String, Object>>) report.get("compare");
    if (c != null && !c.isEmpty()) {
      compare(c, dir);
    }
  }

  @SuppressWarnings("unchecked")
  private static void spectrum(Map<String, Object> s, Path dir) {
    List<AnalyzePlots.Line> lines = new ArrayList<>();
    double[] top = (double[]) s.get("top");
    lines.add(new AnalyzePlots.Line("empirical Θ₀, top", index(top.length), top, false));
    double[] analytic = (double[]) s.get("analytic_top");
    if (analytic != null) {
      lines.add(new AnalyzePlots.Line("analytic Θ, top", index(analytic.length), analytic, true));
    }
    double[] bottom = (double[]) s.get("bottom");
    if (bottom != null) {
      double[] x = new double[bottom.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = -(i + 1);
      }
      lines.add(new AnalyzePlots.Line("empirical Θ₀, bottom (index −i)", x, bottom, false));
    }
    AnalyzePlots.lines(
        "NTK spectrum at initialisation",
        "eigenvalue index (i for the i-th largest, −i for the i-th smallest)",
        "eigenvalue",
        true,
        lines,
        dir.resolve("spectrum.png"));

    Map<String, Object> d = (Map<String, Object>) s.get("density");
    if (d != null) {
      double[] nodes = (double[]) d.get("nodes");
      double[] weights = (double[]) d.get("weights");
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : nodes) {
        if (v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      if (lo < hi) {
        // A density over log λ: NTK spectra span many decades.
        double[] grid = new double[DENSITY_GRID];
        double[] dens = new double[DENSITY_GRID];
        double a = Math.log10(lo);
        double b = Math.log10(hi);
        double width = Math.max((b - a) / 40, 1e-3);
        for (int i = 0; i < DENSITY_GRID; i++) {
          grid[i] = a + (b - a) * i / (DENSITY_GRID - 1);
        }
        for (int j = 0; j < nodes.length; j++) {
          if (nodes[j] <= 0) {
            continue;
          }
          double u = Math.log10(nodes[j]);
          for (int i = 0; i < DENSITY_GRID; i++) {
            double z = (grid[i] - u) / width;
            dens[i] += weights[j] * Math.exp(-0.5 * z * z) / (width * Math.sqrt(2 * Math.PI));
          }
        }
        AnalyzePlots.lines(
            "Spectral density of Θ₀ (stochastic Lanczos quadrature, "
                + d.get("probes")
                + " probes)",
            "log10 eigenvalue",
            "density per decade",
            false,
            List.of(new AnalyzePlots.Line("density", grid, dens, false)),
            dir.resolve("density.png"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void training(List<Map<String, Object>> t, Path dir) {
    int c = t.size();
    double[] steps = new double[c];
    double[] trainLoss = new double[c];
    double[] testLoss = new double[c];
    double[] linTrain = new double[c];
    double[] linTest = new double[c];
    double[] drift = new double[c];
    double[] gap = new double[c];
    int k = 0;
    for (Map<String, Object> e : t) {
      if (e.get("top_eigenvalues") instanceof double[] a) {
        k = Math.max(k, a.length);
      }
    }
    double[][] eig = new double[k][c];
    List<Map<String, Object>> firstModes = (List<Map<String, Object>>) t.get(0).get("mode_decay");
    int modes = firstModes == null ? 0 : Math.min(3, firstModes.size());
    double[][] measured = new double[modes][c];
    double[][] predicted = new double[modes][c];
    for (int i = 0; i < c; i++) {
      Map<String, Object> e = t.get(i);
      steps[i] = ((Number) e.get("step")).doubleValue();
      trainLoss[i] = num(e.get("train_loss"));
      testLoss[i] = num(e.get("test_loss"));
      linTrain[i] = num(e.get("linearized_train_loss"));
      linTest[i] = num(e.get("linearized_test_loss"));
      drift[i] = num(e.get("drift"));
      gap[i] = num(e.get("linearized_gap"));
      double[] ev = e.get("top_eigenvalues") instanceof double[] a ? a : new double[0];
      for (int j = 0; j < k; j++) {
        eig[j][i] = j < ev.length ? ev[j] : Double.NaN;
      }
      List<Map<String, Object>> md = (List<Map<String, Object>>) e.get("mode_decay");
      for (int j = 0; j < modes; j++) {
        measured[j][i] = md == null ? Double.NaN : num(md.get(j).get("measured"));
        double p = md == null ? Double.NaN : num(md.get(j).get("predicted_gd"));
        // A fast mode's prediction falls to 1e-80 within the run; below MODE_FLOOR it would only
        // stretch the axis and hide the measured curves.
        predicted[j][i] = p < MODE_FLOOR ? Double.NaN : p;
      }
    }
    AnalyzePlots.lines(
        "Loss: trained network against the linearised model",
        "step",
        "loss (1/2n)‖f − Y‖²",
        true,
        List.of(
            new AnalyzePlots.Line("train, network", steps, trainLoss, false),
            new AnalyzePlots.Line("train, linearised", steps, linTrain, true),
            new AnalyzePlots.Line("test, network", steps, testLoss, false),
            new AnalyzePlots.Line("test, linearised", steps, linTest, true)),
        dir.resolve("loss.png"));
    List<AnalyzePlots.Line> ev = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      ev.add(new AnalyzePlots.Line("λ_" + (j + 1), steps, eig[j], false));
    }
    if (k > 0) {
      AnalyzePlots.lines(
          "Top eigenvalues of Θ_t during training (probe set)",
          "step",
          "eigenvalue",
          true,
          ev,
          dir.resolve("eigenvalues.png"));
    }
    AnalyzePlots.lines(
        "Kernel drift and distance to the linearised model",
        "step",
        "value",
        false,
        List.of(
            new AnalyzePlots.Line("drift ‖Θ_t − Θ₀‖/‖Θ₀‖", steps, drift, false),
            new AnalyzePlots.Line("test RMS gap |f − f_lin|", steps, gap, true)),
        dir.resolve("drift.png"));
    if (modes > 0) {
      List<AnalyzePlots.Line> ml = new ArrayList<>();
      for (int j = 0; j < modes; j++) {
        ml.add(new AnalyzePlots.Line("measured, v_" + (j + 1), steps, measured[j], false));
        ml.add(new AnalyzePlots.Line("(1 − ηλ_" + (j + 1) + "/n)^t", steps, predicted[j], true));
      }
      AnalyzePlots.lines(
          "Residual along the top eigenvectors of Θ₀ (predictions drawn down to 1e-6)",
          "step",
          "‖v_iᵀ(f_t − Y)‖ / ‖v_iᵀ(f_0 − Y)‖",
          true,
          ml,
          dir.resolve("modes.png"));
    }
  }

  private static void compare(List<Map<String, Object>> rows, Path dir) {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      names.add(String.valueOf(r.get("name")));
    }
    String[] metrics = {"condition_number", "max_stable_step", "final_train_loss"};
    String[] labels = {"condition number", "largest stable step", "final train loss"};
    double[][] v = new double[rows.size()][metrics.length];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < metrics.length; j++) {
        v[i][j] = num(rows.get(i).get(metrics[j]));
      }
    }
    AnalyzePlots.bars(
        "Same budget, three architectures",
        "value (log scale)",
        names,
        List.of(labels),
        v,
        true,
        dir.resolve("compare.png"));
    double[][] acc = new double[rows.size()][1];
    boolean any = false;
    for (int i = 0; i < rows.size(); i++) {
      acc[i][0] = num(rows.get(i).get("test_accuracy"));
      any |= Double.isFinite(acc[i][0]);
    }
    if (any) {
      AnalyzePlots.bars(
          "Test accuracy after training",
          "accuracy",
          names,
          List.of("test accuracy"),
          acc,
          false,
          dir.resolve("compare_accuracy.png"));
    }
  }

  private static double[] index(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
