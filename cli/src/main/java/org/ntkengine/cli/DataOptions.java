package org.ntkengine.cli;

import java.nio.file.Path;
import org.ntkengine.NtkException;
import org.ntkengine.data.DataSpec;
import org.ntkengine.data.Dataset;
import org.ntkengine.data.FashionMnist;
import picocli.CommandLine.Option;

/**
 * The data options shared by every command that reads data sets; use it as a picocli
 * {@code @Mixin}. See {@link DataSpec} for the spec syntax.
 */
public final class DataOptions {

  @Option(
      names = "--data",
      paramLabel = "SPEC",
      defaultValue = "synthetic:hf1d:256",
      description =
          "Data set: fashion-mnist:train[:N], fashion-mnist:test[:N], synthetic:hf1d|hf2d|spirals|"
              + "teacher:N, csv:PATH[:label=COL][:target=COL][:header=yes|no],"
              + " npy:PATH[:labels=PATH][:targets=PATH] (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(
      names = "--data2",
      paramLabel = "SPEC",
      description = "A second data set (e.g. the test set), same forms as --data.")
  String data2;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the Fashion-MNIST IDX files are (default: "
              + "/usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Option(
      names = "--data-seed",
      defaultValue = "0",
      description =
          "Seed for subsets and synthetic data; --data2 uses this seed + 1 so the same synthetic"
              + " spec gives fresh points (default: ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(
      names = "--no-standardize",
      description = "Fashion-MNIST: only scale pixels to [0, 1], do not standardise them.")
  boolean noStandardize;

  @Option(names = "--normalize-rows", description = "Scale every input row to unit norm.")
  boolean normalizeRows;

  /**
   * Loads {@code --data}.
   *
   * @return the data set
   */
  public Dataset load() {
    return load(data, dataSeed);
  }

  /**
   * Loads {@code --data2}, if given.
   *
   * @return the second data set, or null
   */
  public Dataset load2() {
    return data2 == null ? null : load(data2, dataSeed + 1);
  }

  /**
   * Whether {@code --data2} was given.
   *
   * @return true when there is a second set
   */
  public boolean hasSecond() {
    return data2 != null;
  }

  /**
   * Returns the {@code --data} spec as given.
   *
   * @return the spec text
   */
  public String spec() {
    return data;
  }

  /**
   * Returns the {@code --data2} spec as given.
   *
   * @return the spec text, or null
   */
  public String spec2() {
    return data2;
  }

  /**
   * Returns the data seed.
   *
   * @return {@code --data-seed}
   */
  public long seed() {
    return dataSeed;
  }

  private Dataset load(String spec, long seed) {
    FashionMnist.Preprocessing prep = new FashionMnist.Preprocessing(!noStandardize, false);
    Dataset ds = DataSpec.parse(spec).load(dataDir, seed, prep);
    if (ds.size() == 0) {
      throw NtkException.badInput(
          "data set " + spec + " has no samples: a kernel needs at least one row of data");
    }
    return normalizeRows ? ds.normalizeRows() : ds;
  }
}
