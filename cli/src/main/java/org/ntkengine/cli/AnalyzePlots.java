package org.ntkengine.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ntkengine.io.AtomicFiles;

/** The PNG plots of {@code ntk analyze} (JFreeChart, rendered headless, written atomically). */
final class AnalyzePlots {
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf)
  };

  private AnalyzePlots() {}

  /**
   * Renders one small chart in memory. Java2D registers shutdown hooks of its own the first time it
   * draws text, which a shutdown hook may not do; drawing once early lets the interrupt handler
   * draw the plots of an interrupted run.
   */
  static void warmUp() {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection(new XYSeries("warm-up"));
    XYPlot plot = new XYPlot(data, new NumberAxis("x"), new NumberAxis("y"), null);
    try {
      ChartUtils.writeChartAsPNG(
          java.io.OutputStream.nullOutputStream(), new JFreeChart("warm-up", plot), 40, 30);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One named line: x and y values of equal length. */
  record Line(String name, double[] x, double[] y, boolean dashed) {}

  /**
   * A line chart; non-finite points (and non-positive ones on a log axis) are skipped.
   *
   * @param title the title
   * @param xLabel the x axis label
   * @param yLabel the y axis label
   * @param logY a logarithmic y axis
   * @param lines the lines
   * @param path the PNG file
   */
  static void lines(
      String title, String xLabel, String yLabel, boolean logY, List<Line> lines, Path path) {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int s = 0;
    for (Line line : lines) {
      XYSeries series = new XYSeries(line.name(), false, true);
      for (int i = 0; i < line.x().length; i++) {
        double v = line.y()[i];
        if (Double.isFinite(v) && (!logY || v > 0)) {
          series.add(line.x()[i], v);
        }
      }
      data.addSeries(series);
      renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
      renderer.setSeriesShapesVisible(s, line.x().length <= 60);
      if (line.dashed()) {
        renderer.setSeriesStroke(
            s,
            new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      } else {
        renderer.setSeriesStroke(s, new BasicStroke(2f));
      }
      s++;
    }
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    ValueAxis y;
    if (logY) {
      LogAxis log = Plots.logAxis(yLabel);
      log.setSmallestValue(1e-300);
      y = log;
    } else {
      NumberAxis lin = new NumberAxis(yLabel);
      lin.setAutoRangeIncludesZero(false);
      y = lin;
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    style(plot);
    write(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), path);
  }

  /**
   * A grouped bar chart.
   *
   * @param title the title
   * @param yLabel the value axis label
   * @param series the series names (legend)
   * @param categories the category names (groups)
   * @param values values[series][category]; non-finite ones are left out
   * @param logY a logarithmic value axis
   * @param path the PNG file
   */
  static void bars(
      String title,
      String yLabel,
      List<String> series,
      List<String> categories,
      double[][] values,
      boolean logY,
      Path path) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < series.size(); s++) {
      for (int c = 0; c < categories.size(); c++) {
        double v = values[s][c];
        if (Double.isFinite(v) && (!logY || v > 0)) {
          data.addValue(v, series.get(s), categories.get(c));
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    ValueAxis y;
    if (logY) {
      LogAxis log = Plots.logAxis(yLabel);
      if (lo <= hi) {
        // Bars grow from the axis' lower end: start it a little below the smallest value.
        log.setRange(lo / 4, hi * 4);
      }
      y = log;
    } else {
      y = new NumberAxis(yLabel);
    }
    BarRenderer renderer = new BarRenderer();
    for (int s = 0; s < series.size(); s++) {
      renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
    }
    renderer.setShadowVisible(false);
    renderer.setBarPainter(new StandardBarPainter());
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    write(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), path);
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
  }

  private static void write(JFreeChart chart, Path path) {
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.write(
        path, out -> ChartUtils.writeChartAsPNG(out, chart, Plots.WIDTH, Plots.HEIGHT));
  }
}
