package org.ntkengine.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ntkengine.NtkException;

/**
 * Reads a numeric CSV file (RFC 4180 through Apache Commons CSV; surrounding spaces ignored, empty
 * lines skipped). The header is optional: unless stated, the first line is a header when one of its
 * fields is not a number. One column may be the class label ({@code label=COL}) or a regression
 * target ({@code target=COL}); every other column is an input feature and must be a finite number.
 * Labels may be any text or numbers: the distinct values, sorted (numerically when all are
 * numbers), become classes 0..C−1 with one-hot targets.
 */
public final class CsvData {
  private CsvData() {}

  /**
   * What to read from the file.
   *
   * @param labelColumn the label column by header name or 0-based index, or null
   * @param targetColumn the regression target column by name or 0-based index, or null
   * @param header true or false to say whether line 1 is a header, null to detect it
   */
  public record Options(String labelColumn, String targetColumn, Boolean header) {
    /** No label, no target, header detected. */
    public static final Options DEFAULT = new Options(null, null, null);
  }

  /**
   * Reads a CSV file.
   *
   * @param path the file
   * @param options label, target and header
   * @return the data set
   * @throws NtkException (bad input) naming the file, line and column of a ragged line, a
   *     non-numeric or non-finite field, or a missing label column, with the fix
   */
  public static Dataset read(Path path, Options options) {
    List<CSVRecord> records;
    CSVFormat format =
        CSVFormat.DEFAULT
            .builder()
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .get();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(in, format)) {
      records = parser.getRecords();
    } catch (NoSuchFileException e) {
      throw NtkException.badInput(path + ": no such file");
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw NtkException.badInput(path + ": not a readable CSV file (" + e.getMessage() + ")");
    }
    if (records.isEmpty()) {
      throw NtkException.badInput(path + ": the file is empty; expected rows of numbers");
    }
    CSVRecord first = records.get(0);
    boolean header = options.header() != null ? options.header() : !allNumeric(first);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < first.size(); j++) {
      names.add(header ? first.get(j) : "column " + j);
    }
    int cols = first.size();
    int label = column(path, options.labelColumn(), names, header, "label");
    int target = column(path, options.targetColumn(), names, header, "target");
    if (label >= 0 && target >= 0) {
      throw NtkException.usage(
          path + ": give either label=COL (classification) or target=COL (regression), not both");
    }
    int special = Math.max(label, target);
    int d = cols - (special >= 0 ? 1 : 0);
    if (d < 1) {
      throw NtkException.badInput(
          path + ": no input columns left besides the " + (label >= 0 ? "label" : "target"));
    }
    int start = header ? 1 : 0;
    int n = records.size() - start;
    double[] x = new double[n * d];
    double[] y = new double[target >= 0 ? n : 0];
    String[] rawLabels = label >= 0 ? new String[n] : null;
    for (int i = 0; i < n; i++) {
      CSVRecord r = records.get(start + i);
      if (r.size() != cols) {
        throw NtkException.badInput(
            path
                + ": line "
                + r.getRecordNumber()
                + " has "
                + r.size()
                + " fields, expected "
                + cols
                + " like line "
                + first.getRecordNumber()
                + "; every line needs the same columns");
      }
      int jj = 0;
      for (int j = 0; j < cols; j++) {
        if (j == label) {
          rawLabels[i] = r.get(j);
        } else if (j == target) {
          y[i] = number(path, r, j, names.get(j));
        } else {
          x[i * d + jj++] = number(path, r, j, names.get(j));
        }
      }
    }
    String name = "csv:" + path;
    if (label < 0) {
      return target >= 0
          ? Dataset.regression(name, d, x, 1, y)
          : new Dataset(name, n, d, x, 0, new double[0], null, 0);
    }
    return Dataset.classification(name, d, x, classes(rawLabels), distinct(rawLabels));
  }

  private static int distinct(String[] labels) {
    return (int) java.util.Arrays.stream(labels).distinct().count();
  }

  private static int[] classes(String[] labels) {
    boolean numeric = true;
    for (String s : labels) {
      numeric &= parses(s);
    }
    TreeMap<Object, Integer> ids = new TreeMap<>();
    for (String s : labels) {
      ids.put(numeric ? (Object) Double.valueOf(s) : s, 0);
    }
    int c = 0;
    for (Object k : ids.keySet()) {
      ids.put(k, c++);
    }
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = ids.get(numeric ? (Object) Double.valueOf(labels[i]) : labels[i]);
    }
    return out;
  }

  private static boolean allNumeric(CSVRecord r) {
    for (String s : r) {
      if (!parses(s)) {
        return false;
      }
    }
    return true;
  }

  private static boolean parses(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static double number(Path path, CSVRecord r, int j, String column) {
    String s = r.get(j);
    // Without a header the column has no name of its own; do not repeat its index.
    String where =
        ": line "
            + r.getRecordNumber()
            + ", column "
            + j
            + (column.equals("column " + j) ? "" : " (" + column + ")");
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw NtkException.badInput(
          path
              + where
              + ": '"
              + s
              + "' is not a number; fix the value, or name this column with label=COL if it is"
              + " the class");
    }
    if (!Double.isFinite(v)) {
      throw NtkException.badInput(
          path + where + " is " + s + "; remove or impute non-finite values");
    }
    return v;
  }

  private static int column(
      Path path, String spec, List<String> names, boolean header, String role) {
    if (spec == null) {
      return -1;
    }
    String s = spec.trim();
    int idx = names.indexOf(s);
    if (idx >= 0 && header) {
      return idx;
    }
    try {
      int i = Integer.parseInt(s);
      if (i < 0 || i >= names.size()) {
        throw NtkException.badInput(
            path
                + ": "
                + role
                + " column "
                + i
                + " does not exist; the file has columns 0.."
                + (names.size() - 1));
      }
      return i;
    } catch (NumberFormatException e) {
      throw NtkException.badInput(
          path
              + ": no "
              + role
              + " column named '"
              + s
              + "'"
              + (header
                  ? "; the header has " + names
                  : "; the file has no header line, so give the column's 0-based index")
              + " ("
              + role.toLowerCase(Locale.ROOT)
              + "=NAME or "
              + role
              + "=INDEX)");
    }
  }
}
