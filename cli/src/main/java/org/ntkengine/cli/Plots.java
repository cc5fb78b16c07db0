package org.ntkengine.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.ntkengine.analytic.ConvergenceExperiment;
import org.ntkengine.io.AtomicFiles;

/** PNG plots of the commands' results (JFreeChart, rendered headless). */
final class Plots {

  /**
   * A base-10 log axis whose tick labels show the values themselves (5.01E-1), not the fractional
   * powers JFreeChart prints by default (10^-0.30), which are unreadable over short spans.
   *
   * @param label the axis label
   * @return the axis
   */
  static LogAxis logAxis(String label) {
    LogAxis axis = new LogAxis(label);
    axis.setNumberFormatOverride(new DecimalFormat("0.##E0"));
    return axis;
  }

  static final int WIDTH = 900;
  static final int HEIGHT = 600;

  private Plots() {}

  /**
   * Log-log plot of the relative kernel error against width: NTK and NNGP, mean ± one standard
   * deviation over seeds, and a reference line of slope −1/2 through the first NTK point.
   *
   * @param result the experiment's outcome
   * @param path the PNG file, written through an atomic rename
   */
  static void convergence(ConvergenceExperiment.Result result, Path path) {
    System.setProperty("java.awt.headless", "true");
    int[] w = result.widths();
    YIntervalSeries ntk =
        new YIntervalSeries(String.format(Locale.ROOT, "NTK (slope %.3f)", result.slopeNtk()));
    YIntervalSeries nngp =
        new YIntervalSeries(String.format(Locale.ROOT, "NNGP (slope %.3f)", result.slopeNngp()));
    YIntervalSeries ref = new YIntervalSeries("reference n^-1/2");
    for (int i = 0; i < w.length; i++) {
      add(ntk, w[i], result.ntkRelError()[i], result.ntkSpread()[i]);
      add(nngp, w[i], result.nngpRelError()[i], result.nngpSpread()[i]);
      double y = result.ntkRelError()[0] * Math.sqrt((double) w[0] / w[i]);
      ref.add(w[i], y, y, y);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(ntk);
    data.addSeries(nngp);
    data.addSeries(ref);

    LogAxis x = new LogAxis("width n");
    x.setBase(2);
    x.setSmallestValue(1);
    // One tick per power of two, labelled with the width itself rather than 2^k.
    x.setTickUnit(new NumberTickUnit(1.0));
    x.setNumberFormatOverride(new DecimalFormat("0"));
    LogAxis y = new LogAxis("relative Frobenius error ‖K_n − K_∞‖ / ‖K_∞‖");
    y.setSmallestValue(1e-300);
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (int i = 0; i < w.length; i++) {
      lo = Math.min(lo, Math.min(result.ntkRelError()[i], result.nngpRelError()[i]));
      hi = Math.max(hi, Math.max(result.ntkRelError()[i], result.nngpRelError()[i]));
    }
    // About six labelled ticks whatever the span, labelled with the error itself.
    double decades = Math.max(Math.log10(hi / lo), 0.1);
    double step = decades / 6;
    for (double s : new double[] {0.05, 0.1, 0.2, 0.25, 0.5, 1, 2}) {
      if (s >= step) {
        step = s;
        break;
      }
    }
    y.setTickUnit(new NumberTickUnit(step));
    y.setNumberFormatOverride(new DecimalFormat(lo >= 1e-2 ? "0.###" : "0.0##E0"));
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDefaultShapesVisible(true);
    renderer.setDefaultLinesVisible(true);
    renderer.setDrawXError(false);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesPaint(1, new Color(0xd62728));
    renderer.setSeriesPaint(2, Color.GRAY);
    renderer.setSeriesShapesVisible(2, false);
    renderer.setSeriesStroke(
        2,
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart =
        new JFreeChart(
            "Empirical → analytic kernel, " + result.seeds() + " seeds per width",
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            true);
    chart.setBackgroundPaint(Color.WHITE);
    writePng(chart, path);
  }

  private static void add(YIntervalSeries s, int width, double mean, double spread) {
    // A log axis cannot show a bar reaching zero or below; clip the lower end.
    s.add(width, mean, Math.max(mean - spread, mean * 1e-3), mean + spread);
  }

  private static void writePng(JFreeChart chart, Path path) {
    AtomicFiles.write(path, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }
}
