package org.ntkengine.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ntkengine.analytic.AnalyticKernel;
import org.ntkengine.analytic.AnalyticNetwork;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.data.Dataset;
import org.ntkengine.linalg.LanczosResult;
import org.ntkengine.linalg.LanczosSolver;
import org.ntkengine.linalg.SpectralDensity;
import org.ntkengine.linalg.SymmetricOperator;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.model.Parameters;
import org.ntkengine.ntk.EmpiricalNtk;
import org.ntkengine.train.FullKernel;
import org.ntkengine.train.KernelRegression;
import org.ntkengine.train.LinearizedModel;
import org.ntkengine.train.LinearizedModel.Dynamics;
import org.ntkengine.train.Metrics;
import org.ntkengine.train.StabilityCheck;
import org.ntkengine.train.Trainer;

/**
 * One analysis of one architecture on one data set: the kernels at initialisation, the spectrum,
 * kernel regression, the stability check, training with checkpoints and the linearised model beside
 * it. The results accumulate in a JSON-ready map that the listener sees after every stage and
 * checkpoint, so a report written from it is always complete up to the last finished step.
 */
final class Analysis {

  /**
   * What to run.
   *
   * @param spec the architecture
   * @param seed the parameter seed
   * @param steps training steps
   * @param every steps between checkpoints
   * @param stepFraction η as a fraction of 2n/λ_max
   * @param batchSize 0 for full batch, else mini-batch SGD
   * @param topK eigenvalues recorded
   * @param probe training points the kernel is recomputed on at each checkpoint
   * @param ridge kernel regression ridge relative to the mean diagonal
   * @param stabilitySubset training points of the stability runs
   * @param stabilitySteps steps per stability run
   * @param full false for a {@code --compare} variant: no analytic kernels, stability runs, drift
   *     or linearised model
   * @param center train f − f_0 (the network minus its output at initialisation) instead of f
   */
  record Config(
      ModelSpec spec,
      long seed,
      int steps,
      int every,
      double stepFraction,
      int batchSize,
      int topK,
      int probe,
      double ridge,
      int stabilitySubset,
      int stabilitySteps,
      boolean full,
      boolean center) {}

  /** Sees the report after every stage and checkpoint. */
  interface Listener {
    /**
     * A stage finished.
     *
     * @param stage its name
     */
    void stage(String stage);

    /**
     * A checkpoint finished; the report's training list holds it.
     *
     * @param step the step
     * @param entry the checkpoint's entry
     */
    void checkpoint(int step, Map<String, Object> entry);
  }

  private static final double LANCZOS_TOL = 1e-8;
  private static final int DENSITY_PROBES = 8;
  private static final int DENSITY_STEPS = 60;
  private static final int MODES = 5;
  private static final long BOTTOM_MATVECS = 3000;
  private static final int EARLY_STEPS = 10;
  private static final double[] STABILITY_FACTORS = {0.9, 1.1, 2.5};

  private final Backend be;
  private final Precision precision;
  private final Dataset train;
  private final Dataset test;
  private final Config cfg;
  private final Map<String, Object> report;
  private double[] trainTargets;
  private double outputCoupling = 1.0;

  Analysis(
      Backend be,
      Precision precision,
      Dataset train,
      Dataset test,
      Config cfg,
      Map<String, Object> report) {
    this.be = be;
    this.precision = precision;
    this.train = train;
    this.test = test;
    this.cfg = cfg;
    this.report = report;
  }

  /** Runs every stage; the results go into the report map given to the constructor. */
  void run(Listener listener) {
    ModelSpec spec = cfg.spec();
    int n = train.size();
    int nt = test.size();
    int d = train.inputDim();
    int k = spec.outputs();
    double[] y = train.targets();
    Map<String, Object> timing = new LinkedHashMap<>();
    report.put("timing_seconds", timing);
    long start = System.nanoTime();

    try (Network net = Network.initialize(be, precision, spec, cfg.seed());
        Matrix xTrain = train.inputs(be, precision);
        Matrix xTest = test.inputs(be, precision)) {
      Parameters initial = net.parameters();

      // ---- kernels at initialisation
      long t = System.nanoTime();
      EmpiricalNtk ntk = new EmpiricalNtk(net);
      double[] theta0 = download(ntk.kernel(xTrain), n * n);
      double[] theta0Cross = download(ntk.kernel(xTest, xTrain), nt * n);
      double[] f0Train = download(net.forward(xTrain), n * k);
      double[] f0Test = download(net.forward(xTest), nt * k);
      timing.put("empirical_kernels", seconds(t));
      // Centring: the model is g = f − f_0, trained by fitting f to Y + f_0(X); the gradients are
      // those of f, and g starts at 0, so its linearisation tends to kernel regression.
      trainTargets = cfg.center() ? add(y, f0Train) : y;
      double[] g0Train = cfg.center() ? new double[n * k] : f0Train;
      double[] g0Test = cfg.center() ? new double[nt * k] : f0Test;
      double[] shiftTrain = cfg.center() ? f0Train : new double[n * k];
      double[] shiftTest = cfg.center() ? f0Test : new double[nt * k];

      Map<String, Object> init = new LinkedHashMap<>();
      report.put("init", init);
      init.put("centered", cfg.center());
      init.put("train_loss", Metrics.loss(g0Train, y, n));
      init.put("test_loss", Metrics.loss(g0Test, test.targets(), nt));
      init.put("output_rms", Metrics.rms(f0Train, new double[n * k]));
      AnalyticKernel exact = null;
      AnalyticKernel exactCross = null;
      AnalyticKernel gauss = null;
      AnalyticKernel gaussCross = null;
      if (cfg.full()) {
        t = System.nanoTime();
        AnalyticNetwork exactNet = AnalyticNetwork.forSpec(spec, fourierMatrix(initial, spec));
        AnalyticNetwork limit =
            spec.hasFourierFeatures() ? AnalyticNetwork.gaussianLimit(spec) : exactNet;
        double[] xs = train.inputs();
        double[] xt = test.inputs();
        // Four independent closed-form kernels, each single-threaded: run them side by side (on
        // a pool of their own: the common pool has one worker on a two-core machine).
        ExecutorService pool =
            Executors.newFixedThreadPool(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        try {
          CompletableFuture<AnalyticKernel> fExact =
              CompletableFuture.supplyAsync(() -> exactNet.kernel(xs, n, d), pool);
          CompletableFuture<AnalyticKernel> fExactCross =
              CompletableFuture.supplyAsync(() -> exactNet.kernel(xt, nt, xs, n, d), pool);
          CompletableFuture<AnalyticKernel> fGauss =
              spec.hasFourierFeatures()
                  ? CompletableFuture.supplyAsync(() -> limit.kernel(xs, n, d), pool)
                  : fExact;
          CompletableFuture<AnalyticKernel> fGaussCross =
              spec.hasFourierFeatures()
                  ? CompletableFuture.supplyAsync(() -> limit.kernel(xt, nt, xs, n, d), pool)
                  : fExactCross;
          exact = join(fExact);
          exactCross = join(fExactCross);
          gauss = join(fGauss);
          gaussCross = join(fGaussCross);
        } finally {
          pool.shutdown();
        }
        timing.put("analytic_kernels", seconds(t));
        init.put("empirical_vs_analytic_rel_error", relativeError(theta0, exact.ntk()));
        init.put(
            "empirical_vs_analytic_cross_rel_error", relativeError(theta0Cross, exactCross.ntk()));
        init.put("empirical_vs_gaussian_limit_rel_error", relativeError(theta0, gauss.ntk()));
        init.put(
            "analytic_reference",
            spec.hasFourierFeatures()
                ? "infinite width with this network's sampled Fourier matrix B"
                : "infinite width on the raw inputs (no Fourier features)");
      }
      listener.stage("kernels");

      // ---- spectrum of Θ_0
      t = System.nanoTime();
      Map<String, Object> spectrum = new LinkedHashMap<>();
      report.put("spectrum", spectrum);
      double[][] topVectors;
      double[] top;
      Precision lp = be.precisions().contains(Precision.FP64) ? Precision.FP64 : Precision.FP32;
      try (Matrix theta = Network.upload(be, lp, theta0, n, n)) {
        SymmetricOperator op = SymmetricOperator.dense(be, theta);
        int kTop = Math.min(cfg.topK(), n);
        LanczosResult topR =
            new LanczosSolver(
                    LanczosSolver.Options.defaults().withTol(LANCZOS_TOL).withVectors(true))
                .solve(op, kTop, LanczosSolver.Which.LARGEST);
        // The bottom of an NTK spectrum is clustered and converges slowly; the budget bounds the
        // time and the residuals in the report say how far it got.
        LanczosResult bottomR =
            new LanczosSolver(
                    LanczosSolver.Options.defaults()
                        .withTol(LANCZOS_TOL)
                        .withMaxMatvecs(BOTTOM_MATVECS)
                        .withVerify(false))
                .solve(op, kTop, LanczosSolver.Which.SMALLEST);
        top = topR.eigenvalues();
        topVectors = topR.eigenvectors();
        double lambdaMax = top[0];
        double lambdaMin = bottomR.eigenvalues()[0];
        spectrum.put("top", top);
        spectrum.put("bottom", bottomR.eigenvalues());
        spectrum.put("condition_number", lambdaMin > 0 ? lambdaMax / lambdaMin : null);
        spectrum.put("top_residuals", topR.residuals());
        spectrum.put("bottom_residuals", bottomR.residuals());
        spectrum.put("converged", topR.converged() && bottomR.converged());
        spectrum.put("matvecs", topR.matvecs() + bottomR.matvecs());
        // 2n/λ_max of the output-averaged Θ₀; with k > 1 outputs the full per-output kernel's
        // λ_max is larger, and training_setup.max_stable_step is the bound training obeys.
        spectrum.put("max_stable_step_output_averaged", Trainer.maxStableStep(lambdaMax, n));
        spectrum.put("lambda_max_bounds", bounds(theta0, n, lambdaMax));
        if (cfg.full()) {
          SpectralDensity density =
              SpectralDensity.estimate(op, DENSITY_PROBES, DENSITY_STEPS, cfg.seed() + 7);
          Map<String, Object> dens = new LinkedHashMap<>();
          dens.put("nodes", density.nodes());
          dens.put("weights", density.weights());
          dens.put("probes", density.probes());
          dens.put("steps", density.steps());
          spectrum.put("density", dens);
        }
      }
      if (exact != null) {
        try (Matrix theta = Network.upload(be, lp, exact.ntk(), n, n)) {
          LanczosResult a =
              LanczosSolver.top(SymmetricOperator.dense(be, theta), Math.min(cfg.topK(), n), 1e-8);
          spectrum.put("analytic_top", a.eigenvalues());
        }
      }
      timing.put("spectrum", seconds(t));
      listener.stage("spectrum");

      // ---- kernel regression (t → ∞)
      t = System.nanoTime();
      Map<String, Object> kr = new LinkedHashMap<>();
      report.put("kernel_regression", kr);
      regression(kr, "empirical", theta0, theta0Cross);
      if (gauss != null) {
        regression(kr, "analytic", gauss.ntk(), gaussCross.ntk());
        if (spec.hasFourierFeatures()) {
          regression(kr, "analytic_exact_fourier", exact.ntk(), exactCross.ntk());
        }
        kr.put(
            "analytic_kernel",
            spec.hasFourierFeatures()
                ? "infinite width, Gaussian limit of the Fourier features (m → ∞)"
                : "infinite width on the raw inputs");
      }
      timing.put("kernel_regression", seconds(t));
      listener.stage("kernel regression");

      // ---- the stable step against runs that diverge
      if (cfg.full() && cfg.stabilitySteps() > 0) {
        t = System.nanoTime();
        report.put("stability", stability(net, initial, theta0));
        timing.put("stability", seconds(t));
        listener.stage("stability");
      }

      // ---- training beside the linearised model
      // The step limit belongs to the full per-output kernel; its λ_max on all n points is
      // estimated as the averaged kernel's times the ratio measured on the stability subset.
      double lambdaMax = top[0] * outputCoupling;
      double eta = cfg.stepFraction() * Trainer.maxStableStep(lambdaMax, n);
      Map<String, Object> setup = new LinkedHashMap<>();
      report.put("training_setup", setup);
      setup.put("steps", cfg.steps());
      setup.put("checkpoint_every", cfg.every());
      setup.put("step_fraction", cfg.stepFraction());
      setup.put("learning_rate", eta);
      setup.put("max_stable_step", Trainer.maxStableStep(lambdaMax, n));
      setup.put("lambda_max_used", lambdaMax);
      setup.put("output_coupling", outputCoupling);
      setup.put(
          "lambda_max_rule",
          "λ_max of Θ₀ (output-averaged) × the ratio λ_max(full per-output kernel)/λ_max(averaged)"
              + " on the stability subset (1 when that is not run)");
      setup.put("batch_size", cfg.batchSize() == 0 ? n : Math.min(cfg.batchSize(), n));
      boolean sd = false;
      for (double p : spec.survival()) {
        sd |= p < 1;
      }
      setup.put("stochastic_depth", sd ? "masks ξ_l ~ Bernoulli(p_l) drawn every step" : "off");
      List<Map<String, Object>> series = new ArrayList<>();
      report.put("training", series);
      t = System.nanoTime();
      int[] probeRows = cfg.full() ? evenRows(n, Math.min(cfg.probe(), n)) : new int[0];
      setup.put("kernel_probe_points", probeRows.length);
      setup.put(
          "linearized_dynamics",
          "gradient descent on the model linearised at initialisation: f_lin,train − Y ="
              + " (I − ηΘ₀/n)^s (f₀ − Y), f_lin,test = f₀,test − Θ₀(test,train)·Θ₀⁻¹(I −"
              + " (I − ηΘ₀/n)^s)(f₀ − Y), Lanczos matrix functions");
      double[] probeTheta0 = submatrix(theta0, n, probeRows);
      double[] probeX = rows(train.inputs(), d, probeRows);
      double[] r0 = residual(g0Train, y);
      double[] mode0 = new double[Math.min(MODES, top.length)];
      for (int i = 0; i < mode0.length; i++) {
        mode0[i] = projection(topVectors[i], r0, n, k);
      }
      LinearizedModel lin =
          cfg.full()
              ? new LinearizedModel(be, theta0, n, theta0Cross, nt, g0Train, g0Test, y, k)
              : null;
      try (lin;
          Matrix xProbe =
              probeRows.length == 0
                  ? null
                  : Network.upload(be, precision, probeX, probeRows.length, d)) {
        Trainer trainer =
            new Trainer(
                net,
                train.inputs(),
                trainTargets,
                n,
                new Trainer.Options(
                    cfg.steps(), cfg.every(), eta, cfg.batchSize(), cfg.seed() + 1));
        trainer.run(
            (step, network, batchLoss) -> {
              Map<String, Object> e = new LinkedHashMap<>();
              double[] fTrain = subtract(download(network.forward(xTrain), n * k), shiftTrain);
              double[] fTest = subtract(download(network.forward(xTest), nt * k), shiftTest);
              e.put("step", step);
              e.put("train_loss", finiteOrNull(Metrics.loss(fTrain, y, n)));
              e.put("test_loss", finiteOrNull(Metrics.loss(fTest, test.targets(), nt)));
              e.put("train_accuracy", nanToNull(Metrics.accuracy(fTrain, train.labels(), k)));
              e.put("test_accuracy", nanToNull(Metrics.accuracy(fTest, test.labels(), k)));
              e.put("batch_loss", finiteOrNull(batchLoss));
              // A diverged network has no kernel worth a Lanczos run, and argmax of NaN outputs is
              // no accuracy: record the losses alone.
              boolean finite = e.get("train_loss") != null;
              e.put("diverged", !finite);
              if (!finite) {
                e.put("train_accuracy", null);
                e.put("test_accuracy", null);
              }
              if (xProbe != null && finite) {
                double[] theta =
                    download(
                        new EmpiricalNtk(network).kernel(xProbe),
                        probeRows.length * probeRows.length);
                e.put("drift", finiteOrNull(relativeError(theta, probeTheta0)));
                try (Matrix tm =
                    Network.upload(be, lp, theta, probeRows.length, probeRows.length)) {
                  e.put(
                      "top_eigenvalues",
                      LanczosSolver.top(
                              SymmetricOperator.dense(be, tm),
                              Math.min(cfg.topK(), probeRows.length),
                              1e-6)
                          .eigenvalues());
                }
              } else {
                e.put("drift", null);
                e.put("top_eigenvalues", null);
              }
              if (lin != null && finite) {
                double[] lTrain = lin.train(Dynamics.GRADIENT_DESCENT, eta, step);
                double[] lTest = lin.test(Dynamics.GRADIENT_DESCENT, eta, step);
                e.put("linearized_gap", finiteOrNull(Metrics.rms(fTest, lTest)));
                e.put("linearized_gap_train", finiteOrNull(Metrics.rms(fTrain, lTrain)));
                e.put("linearized_train_loss", Metrics.loss(lTrain, y, n));
                e.put("linearized_test_loss", Metrics.loss(lTest, test.targets(), nt));
                e.put(
                    "linearized_test_accuracy",
                    nanToNull(Metrics.accuracy(lTest, test.labels(), k)));
                double[] r = residual(fTrain, y);
                List<Map<String, Object>> modes = new ArrayList<>();
                for (int i = 0; i < mode0.length; i++) {
                  Map<String, Object> m = new LinkedHashMap<>();
                  double rate = eta * top[i] / n;
                  m.put("eigenvalue", top[i]);
                  m.put(
                      "measured",
                      mode0[i] == 0 ? null : projection(topVectors[i], r, n, k) / mode0[i]);
                  m.put("predicted_flow", Math.exp(-rate * step));
                  m.put("predicted_gd", Math.abs(Math.pow(1 - rate, step)));
                  modes.add(m);
                }
                e.put("mode_decay", modes);
              } else {
                e.put("linearized_gap", null);
              }
              series.add(e);
              listener.checkpoint(step, e);
              return true;
            });
      }
      timing.put("training", seconds(t));
    }
    timing.put("total", seconds(start));
  }

  // ---- stages

  private void regression(Map<String, Object> kr, String name, double[] k, double[] cross) {
    int n = train.size();
    int nt = test.size();
    int c = train.outputs();
    KernelRegression.Fit fit = KernelRegression.fit(k, n, train.targets(), c, cfg.ridge());
    double[] f = KernelRegression.predict(cross, nt, fit);
    kr.put("test_accuracy_" + name, nanToNull(Metrics.accuracy(f, test.labels(), c)));
    kr.put("test_mse_" + name, Metrics.loss(f, test.targets(), nt) * 2 / Math.max(c, 1));
    kr.put("ridge_" + name, fit.ridge());
  }

  private Map<String, Object> stability(Network net, Parameters initial, double[] theta0) {
    int n = train.size();
    int d = train.inputDim();
    int k = cfg.spec().outputs();
    int[] sub = evenRows(n, Math.min(cfg.stabilitySubset(), n));
    int m = sub.length;
    double[] xSub = rows(train.inputs(), d, sub);
    double lambdaAveraged;
    Precision lp = be.precisions().contains(Precision.FP64) ? Precision.FP64 : Precision.FP32;
    try (Matrix tm = Network.upload(be, lp, submatrix(theta0, n, sub), m, m)) {
      lambdaAveraged = LanczosSolver.top(SymmetricOperator.dense(be, tm), 1, 1e-8).eigenvalues()[0];
    }
    // Gradient descent on k outputs moves f by (η/n)·Θ_full·(f − Y), Θ_full the mk×mk kernel
    // with every block Θ_cc′: its cross-output blocks vanish only at infinite width, and at
    // finite width they can raise λ_max well above the output-averaged kernel's.
    double[] full;
    try (Matrix xm = Network.upload(be, precision, xSub, m, d)) {
      full = FullKernel.compute(net, xm);
    }
    double lambdaMax;
    double[] v1;
    try (Matrix tm = Network.upload(be, lp, full, m * k, m * k)) {
      LanczosResult r =
          new LanczosSolver(LanczosSolver.Options.defaults().withTol(1e-8).withVectors(true))
              .solve(SymmetricOperator.dense(be, tm), 1, LanczosSolver.Which.LARGEST);
      lambdaMax = r.eigenvalues()[0];
      v1 = r.eigenvectors()[0];
    }
    outputCoupling = Math.max(1.0, lambdaMax / lambdaAveraged);
    List<StabilityCheck.Outcome> runs =
        StabilityCheck.run(
            be,
            precision,
            initial,
            xSub,
            rows(trainTargets, k, sub),
            m,
            lambdaMax,
            v1,
            STABILITY_FACTORS,
            cfg.stabilitySteps());
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("subset", m);
    s.put("lambda_max", lambdaMax);
    s.put("lambda_max_output_averaged", lambdaAveraged);
    s.put("kernel", "the full per-output kernel Θ_cc′ on the subset (" + m * k + "x" + m * k + ")");
    s.put("max_stable_step", Trainer.maxStableStep(lambdaMax, m));
    s.put(
        "verdicts",
        "diverges: loss above "
            + StabilityCheck.DIVERGENCE_FACTOR
            + "× its initial value or not finite; grows then recovers: above its initial value"
            + " at some step, below it at the end (the kernel moved: catapult); converges: never"
            + " above its initial value");
    s.put(
        "theory",
        "kernel regime: the residual along the top eigenvector is multiplied by |1 − 2c| per step"
            + " at η = c·2n/λ_max, so c < 1 converges and c > 1 grows");
    List<Map<String, Object>> list = new ArrayList<>();
    boolean agrees = true;
    for (StabilityCheck.Outcome o : runs) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("factor", o.factor());
      r.put("learning_rate", o.learningRate());
      r.put("predicted", o.predictedStable() ? "converges" : "diverges");
      r.put("observed", o.verdict());
      if (o.topMode().length > 1) {
        r.put("top_mode_first_step_predicted", Math.abs(1 - 2 * o.factor()));
        r.put("top_mode_first_step_measured", finiteOrNull(o.topMode()[1]));
      }
      int early = Math.min(EARLY_STEPS, o.topMode().length - 1);
      if (early > 0) {
        r.put("top_mode_steps", early);
        r.put("top_mode_ratio_predicted", Math.pow(Math.abs(1 - 2 * o.factor()), early));
        r.put("top_mode_ratio_measured", finiteOrNull(o.topMode()[early]));
      }
      r.put("losses", o.losses());
      r.put("top_mode", o.topMode());
      r.put("initial_loss", o.initialLoss());
      r.put("final_loss", finiteOrNull(o.finalLoss()));
      r.put("max_loss", finiteOrNull(o.maxLoss()));
      r.put("steps", o.steps());
      agrees &= o.predictedStable() == o.verdict().equals("converges");
      list.add(r);
    }
    s.put("runs", list);
    s.put("theory_agrees", agrees);
    return s;
  }

  private static Map<String, Object> bounds(double[] theta, int n, double lambdaMax) {
    double trace = 0;
    double gershgorin = 0;
    double maxDiag = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int j = 0; j < n; j++) {
        row += Math.abs(theta[i * n + j]);
        sum += theta[i * n + j];
      }
      trace += theta[i * n + i];
      gershgorin = Math.max(gershgorin, row);
      maxDiag = Math.max(maxDiag, theta[i * n + i]);
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("lambda_max", lambdaMax);
    b.put("lower_max_diagonal", maxDiag);
    b.put("lower_mean_entry_times_n", sum / n);
    b.put("upper_gershgorin", gershgorin);
    b.put("upper_trace", trace);
    double slack = 1e-6 * lambdaMax;
    b.put(
        "within",
        maxDiag <= lambdaMax + slack
            && sum / n <= lambdaMax + slack
            && lambdaMax <= gershgorin + slack
            && lambdaMax <= trace + slack);
    return b;
  }

  // ---- helpers

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private double[] download(Matrix m, int size) {
    try (m) {
      double[] a = new double[size];
      be.download(m, a);
      return a;
    }
  }

  private static double[] fourierMatrix(Parameters p, ModelSpec spec) {
    if (!spec.hasFourierFeatures()) {
      return null;
    }
    double[] b = p.get("fourier").clone();
    for (int i = 0; i < b.length; i++) {
      b[i] *= spec.fourierSigma();
    }
    return b;
  }

  static double relativeError(double[] a, double[] ref) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      double r = a[i] - ref[i];
      num += r * r;
      den += ref[i] * ref[i];
    }
    return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
  }

  static int[] evenRows(int n, int count) {
    int[] r = new int[count];
    for (int i = 0; i < count; i++) {
      r[i] = (int) ((long) i * n / count);
    }
    return r;
  }

  private static double[] submatrix(double[] a, int n, int[] idx) {
    int m = idx.length;
    double[] s = new double[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        s[i * m + j] = a[idx[i] * n + idx[j]];
      }
    }
    return s;
  }

  private static double[] rows(double[] a, int cols, int[] idx) {
    double[] s = new double[idx.length * cols];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(a, idx[i] * cols, s, i * cols, cols);
    }
    return s;
  }

  private static double[] add(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] + b[i];
    }
    return r;
  }

  private static double[] subtract(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] - b[i];
    }
    return r;
  }

  private static double[] residual(double[] f, double[] y) {
    double[] r = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      r[i] = f[i] - y[i];
    }
    return r;
  }

  /** ‖vᵀR‖ over the k output columns of R (n×k). */
  private static double projection(double[] v, double[] r, int n, int k) {
    double s = 0;
    for (int c = 0; c < k; c++) {
      double p = 0;
      for (int i = 0; i < n; i++) {
        p += v[i] * r[i * k + c];
      }
      s += p * p;
    }
    return Math.sqrt(s);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static Double nanToNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
