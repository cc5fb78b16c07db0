package org.ntkengine.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntkengine.NtkException;

/**
 * A parsed data-set description, as given to {@code --data}:
 *
 * <ul>
 *   <li>{@code fashion-mnist:train[:N]}, {@code fashion-mnist:test[:N]}: a class-balanced subset of
 *       N images drawn by the seed (all images when N is absent);
 *   <li>{@code synthetic:KIND:N} with KIND {@code hf1d}, {@code hf2d}, {@code spirals} or {@code
 *       teacher} (see {@link Synthetic});
 *   <li>{@code csv:PATH[:label=COL][:target=COL][:header=yes|no]} (see {@link CsvData}; COL is a
 *       header name or a 0-based index);
 *   <li>{@code npy:PATH[:labels=PATH][:targets=PATH]} (see {@link NpyData}).
 * </ul>
 *
 * <p>Options follow the path as {@code :key=value}; a path may itself contain colons.
 *
 * @param kind the source
 * @param part the split (Fashion-MNIST), the set's kind (synthetic) or the file (csv, npy)
 * @param count the number of samples (0: all; only Fashion-MNIST and synthetic)
 * @param options the {@code key=value} options (csv, npy)
 * @param text the spec as written
 */
public record DataSpec(
    Kind kind, String part, int count, Map<String, String> options, String text) {

  private static final Pattern OPTION = Pattern.compile("^(.*):([a-z]+)=([^:]*)$");
  private static final Set<String> CSV_KEYS = Set.of("label", "target", "header");
  private static final Set<String> NPY_KEYS = Set.of("labels", "targets");

  /** Where the data comes from. */
  public enum Kind {
    /** The Fashion-MNIST IDX files. */
    FASHION_MNIST,
    /** A generated set. */
    SYNTHETIC,
    /** A CSV file. */
    CSV,
    /** NumPy .npy files. */
    NPY
  }

  /** Copies the options. */
  public DataSpec {
    options = Map.copyOf(options);
  }

  /**
   * Parses a spec.
   *
   * @param text e.g. {@code fashion-mnist:train:2000}
   * @return the spec
   * @throws NtkException (usage) naming the accepted forms when the text does not parse
   */
  public static DataSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw usage(String.valueOf(text), "the spec is empty");
    }
    String t = text.trim();
    int colon = t.indexOf(':');
    String scheme = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
    String rest = colon < 0 ? "" : t.substring(colon + 1);
    switch (scheme) {
      case "fashion-mnist", "fashion_mnist", "fmnist" -> {
        String[] parts = rest.split(":", -1);
        if (rest.isEmpty() || parts.length > 2) {
          throw usage(t, "expected fashion-mnist:train[:N] or fashion-mnist:test[:N]");
        }
        FashionMnist.Split.parse(parts[0]);
        int n = parts.length == 2 ? count(t, parts[1]) : 0;
        return new DataSpec(Kind.FASHION_MNIST, parts[0].toLowerCase(Locale.ROOT), n, Map.of(), t);
      }
      case "synthetic" -> {
        String[] parts = rest.split(":", -1);
        if (parts.length != 2) {
          throw usage(t, "expected synthetic:KIND:N with KIND hf1d, hf2d, spirals or teacher");
        }
        String kind = parts[0].toLowerCase(Locale.ROOT);
        if (!Set.of("hf1d", "hf2d", "spirals", "teacher").contains(kind)) {
          throw usage(
              t, "unknown synthetic set '" + parts[0] + "': use hf1d, hf2d, spirals or teacher");
        }
        return new DataSpec(Kind.SYNTHETIC, kind, count(t, parts[1]), Map.of(), t);
      }
      case "csv", "npy" -> {
        Set<String> keys = scheme.equals("csv") ? CSV_KEYS : NPY_KEYS;
        Map<String, String> opts = new LinkedHashMap<>();
        String path = rest;
        Matcher m;
        while ((m = OPTION.matcher(path)).matches() && keys.contains(m.group(2))) {
          opts.put(m.group(2), m.group(3));
          path = m.group(1);
        }
        if (path.isEmpty()) {
          throw usage(t, "the file path is missing");
        }
        Matcher bad = OPTION.matcher(path);
        if (bad.matches()) {
          throw usage(t, "unknown option '" + bad.group(2) + "'; " + scheme + " accepts " + keys);
        }
        return new DataSpec(scheme.equals("csv") ? Kind.CSV : Kind.NPY, path, 0, opts, t);
      }
      default -> throw usage(t, "unknown source '" + scheme + "'");
    }
  }

  private static int count(String text, String s) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw usage(text, "'" + s + "' is not a sample count (a positive integer)");
  }

  private static NtkException usage(String text, String why) {
    return NtkException.usage(
        "bad data spec '"
            + text
            + "': "
            + why
            + ". Forms: fashion-mnist:train[:N], fashion-mnist:test[:N], synthetic:hf1d:N,"
            + " synthetic:hf2d:N, synthetic:spirals:N, synthetic:teacher:N,"
            + " csv:PATH[:label=COL][:target=COL][:header=yes|no],"
            + " npy:PATH[:labels=PATH][:targets=PATH]");
  }

  /**
   * Loads the data set.
   *
   * @param dataDir the Fashion-MNIST directory, or null for {@link FashionMnist#DEFAULT_DIR}
   * @param seed the seed for subsets and synthetic data
   * @param prep the Fashion-MNIST preprocessing, or null for {@link
   *     FashionMnist.Preprocessing#DEFAULT}
   * @return the data set
   * @throws NtkException (bad input) for missing or malformed files
   */
  public Dataset load(Path dataDir, long seed, FashionMnist.Preprocessing prep) {
    return switch (kind) {
      case FASHION_MNIST ->
          FashionMnist.load(
              dataDir == null ? FashionMnist.DEFAULT_DIR : dataDir,
              FashionMnist.Split.parse(part),
              count,
              seed,
              prep);
      case SYNTHETIC -> Synthetic.generate(part, count, seed);
      case CSV ->
          CsvData.read(
              Path.of(part),
              new CsvData.Options(options.get("label"), options.get("target"), header()));
      case NPY ->
          NpyData.read(
              Path.of(part),
              options.containsKey("labels") ? Path.of(options.get("labels")) : null,
              options.containsKey("targets") ? Path.of(options.get("targets")) : null);
    };
  }

  private Boolean header() {
    String h = options.get("header");
    if (h == null) {
      return null;
    }
    return switch (h.toLowerCase(Locale.ROOT)) {
      case "yes", "true", "1" -> Boolean.TRUE;
      case "no", "false", "0" -> Boolean.FALSE;
      default -> throw usage(text, "header must be yes or no, got '" + h + "'");
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
