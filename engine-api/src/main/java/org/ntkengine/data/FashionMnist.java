package org.ntkengine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ntkengine.NtkException;
import org.ntkengine.model.SeededRandom;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; MIT licence): 60 000 training and 10 000 test
 * grey-scale images of 28×28 pixels in 10 classes, read from the four IDX files (gzipped or not)
 * that Debian's {@code dataset-fashion-mnist} package installs under {@link #DEFAULT_DIR}.
 *
 * <p>Preprocessing, in this order: pixels scaled to [0, 1]; optionally standardised per pixel with
 * the mean and standard deviation of the full training split (the same statistics for both splits,
 * standard deviations below 1e-3 treated as 1e-3 so constant border pixels stay finite); optionally
 * each image scaled to unit Euclidean norm. Targets are one-hot over the 10 classes.
 */
public final class FashionMnist {
  /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The number of classes. */
  public static final int CLASSES = 10;

  /** Pixels per image, 28·28. */
  public static final int PIXELS = 784;

  private static final double MIN_STD = 1e-3;
  private static final Map<Path, double[][]> STATS = new ConcurrentHashMap<>();

  private FashionMnist() {}

  /** The two splits. */
  public enum Split {
    /** 60 000 images, files {@code train-*}. */
    TRAIN("train"),
    /** 10 000 images, files {@code t10k-*}. */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }

    /**
     * Parses {@code train} or {@code test}.
     *
     * @param s the name
     * @return the split
     * @throws NtkException (usage) for anything else
     */
    public static Split parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "train" -> TRAIN;
        case "test", "t10k" -> TEST;
        default ->
            throw NtkException.usage("unknown Fashion-MNIST split '" + s + "': use train or test");
      };
    }
  }

  /**
   * How images become inputs.
   *
   * @param standardize subtract the training mean and divide by the training standard deviation,
   *     per pixel (after scaling to [0, 1])
   * @param normalizeRows scale each image to unit Euclidean norm (last)
   */
  public record Preprocessing(boolean standardize, boolean normalizeRows) {
    /** Scaling to [0, 1] and standardisation, no row normalisation. */
    public static final Preprocessing DEFAULT = new Preprocessing(true, false);
  }

  /** The raw images and labels of one split. */
  record Raw(byte[] images, byte[] labels, int count) {}

  /**
   * Finds a split's file in a directory, with or without {@code .gz}.
   *
   * @param dir the directory
   * @param split the split
   * @param kind {@code images-idx3} or {@code labels-idx1}
   * @return the path
   * @throws NtkException (bad input) saying how to install the data set when it is missing
   */
  static Path file(Path dir, Split split, String kind) {
    String base = split.prefix + "-" + kind + "-ubyte";
    for (String name : new String[] {base + ".gz", base}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw NtkException.badInput(
        "Fashion-MNIST file "
            + base
            + "(.gz) not found in "
            + dir
            + ": install it with `apt-get install dataset-fashion-mnist` (files go to "
            + DEFAULT_DIR
            + ") or point --data-dir at a directory holding the four IDX files");
  }

  /**
   * Whether the four files are present in a directory.
   *
   * @param dir the directory
   * @return true when all four exist
   */
  public static boolean isInstalled(Path dir) {
    try {
      for (Split s : Split.values()) {
        file(dir, s, "images-idx3");
        file(dir, s, "labels-idx1");
      }
      return true;
    } catch (NtkException e) {
      return false;
    }
  }

  static Raw readRaw(Path dir, Split split) {
    Path ip = file(dir, split, "images-idx3");
    Path lp = file(dir, split, "labels-idx1");
    Idx.Array images = Idx.read(ip);
    Idx.Array labels = Idx.read(lp);
    if (images.dims().length != 3 || images.dims()[1] != 28 || images.dims()[2] != 28) {
      throw NtkException.badInput(
          ip
              + ": expected images of shape Nx28x28, got "
              + java.util.Arrays.toString(images.dims()));
    }
    if (labels.dims().length != 1 || labels.count() != images.count()) {
      throw NtkException.badInput(
          lp
              + ": expected "
              + images.count()
              + " labels (one per image in "
              + ip.getFileName()
              + "), got dimensions "
              + java.util.Arrays.toString(labels.dims()));
    }
    for (int i = 0; i < labels.count(); i++) {
      int l = labels.data()[i] & 0xff;
      if (l >= CLASSES) {
        throw NtkException.badInput(
            lp + ": label " + l + " of item " + i + " (offset " + (8 + i) + ") is not in 0..9");
      }
    }
    return new Raw(images.data(), labels.data(), images.count());
  }

  /**
   * Reads a whole split without preprocessing beyond scaling to [0, 1].
   *
   * @param dir the directory holding the files
   * @param split the split
   * @return all images of the split, labels and one-hot targets
   */
  public static Dataset readAll(Path dir, Split split) {
    Raw raw = readRaw(dir, split);
    int[] all = new int[raw.count];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return build(raw, all, "fashion-mnist:" + split.name().toLowerCase(Locale.ROOT), null, false);
  }

  /**
   * Loads a class-balanced subset: {@code count / 10} images of each class (the first {@code count
   * % 10} classes get one more), drawn without replacement by the seed, then preprocessed.
   *
   * @param dir the directory holding the files
   * @param split the split
   * @param count how many images, 1 to the split's size (0: all of them, in file order)
   * @param seed the subset seed
   * @param prep the preprocessing
   * @return the data set, d = 784, k = 10
   * @throws NtkException (usage) when the count exceeds what a class has; (bad input) when files
   *     are missing or corrupt
   */
  public static Dataset load(Path dir, Split split, int count, long seed, Preprocessing prep) {
    Raw raw = readRaw(dir, split);
    String name =
        "fashion-mnist:" + split.name().toLowerCase(Locale.ROOT) + (count > 0 ? ":" + count : "");
    int[] rows;
    if (count <= 0 || count == raw.count) {
      rows = new int[raw.count];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = i;
      }
    } else {
      if (count > raw.count) {
        throw NtkException.usage(
            "the Fashion-MNIST "
                + split.name().toLowerCase(Locale.ROOT)
                + " split has "
                + raw.count
                + " images, "
                + count
                + " were requested");
      }
      rows = balanced(raw, count, seed);
    }
    double[][] stats = prep.standardize() ? trainingStatistics(dir) : null;
    return build(raw, rows, name, stats, prep.normalizeRows());
  }

  private static int[] balanced(Raw raw, int count, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < raw.count; i++) {
      byClass.get(raw.labels[i] & 0xff).add(i);
    }
    SeededRandom rnd = SeededRandom.stream(seed, "fashion-mnist-subset");
    int[] rows = new int[count];
    int filled = 0;
    for (int c = 0; c < CLASSES; c++) {
      int want = count / CLASSES + (c < count % CLASSES ? 1 : 0);
      List<Integer> members = byClass.get(c);
      if (want > members.size()) {
        throw NtkException.usage(
            "a class-balanced subset of "
                + count
                + " needs "
                + want
                + " images of class "
                + c
                + " but the split has "
                + members.size()
                + "; ask for at most "
                + members.size() * CLASSES);
      }
      int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
      // Partial Fisher–Yates: the first `want` positions are a uniform sample.
      for (int i = 0; i < want; i++) {
        int j = i + rnd.nextInt(idx.length - i);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        rows[filled++] = idx[i];
      }
    }
    // Interleave the classes so any prefix of the subset is roughly balanced too.
    new SeededRandom(seed ^ 0x5deece66dL).shuffle(rows);
    return rows;
  }

  /** Per-pixel mean and standard deviation of the full training split, after scaling to [0, 1]. */
  static double[][] trainingStatistics(Path dir) {
    return STATS.computeIfAbsent(
        dir.toAbsolutePath().normalize(),
        d -> {
          Raw raw = readRaw(dir, Split.TRAIN);
          double[] mean = new double[PIXELS];
          double[] m2 = new double[PIXELS];
          for (int i = 0; i < raw.count; i++) {
            for (int j = 0; j < PIXELS; j++) {
              double x = (raw.images[i * PIXELS + j] & 0xff) / 255.0;
              double delta = x - mean[j];
              mean[j] += delta / (i + 1);
              m2[j] += delta * (x - mean[j]);
            }
          }
          double[] std = new double[PIXELS];
          for (int j = 0; j < PIXELS; j++) {
            std[j] = Math.max(MIN_STD, Math.sqrt(m2[j] / raw.count));
          }
          return new double[][] {mean, std};
        });
  }

  private static Dataset build(
      Raw raw, int[] rows, String name, double[][] stats, boolean normalizeRows) {
    double[] x = new double[rows.length * PIXELS];
    int[] labels = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      int src = rows[r] * PIXELS;
      for (int j = 0; j < PIXELS; j++) {
        double v = (raw.images[src + j] & 0xff) / 255.0;
        x[r * PIXELS + j] = stats == null ? v : (v - stats[0][j]) / stats[1][j];
      }
      labels[r] = raw.labels[rows[r]] & 0xff;
    }
    Dataset ds = Dataset.classification(name, PIXELS, x, labels, CLASSES);
    return normalizeRows ? ds.normalizeRows() : ds;
  }
}
