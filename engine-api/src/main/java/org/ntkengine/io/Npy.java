package org.ntkengine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntkengine.NtkException;

/**
 * Reads and writes NumPy .npy files (format versions 1.0 to 3.0). Reading accepts C-order arrays of
 * float32, float64, int8/16/32/64 and uint8 in either byte order; writing produces version 1.0
 * little-endian float32 or float64, through a temporary file renamed into place so a failed write
 * never leaves a partial file.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * Reads a .npy file.
   *
   * @param path the file
   * @return the array, values widened to double
   * @throws NtkException (bad input) naming the file, the offset and what was expected when the
   *     file is missing, truncated, Fortran-ordered or of an unsupported type
   */
  public static NpyArray read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw NtkException.badInput(path + ": no such file");
    } catch (IOException e) {
      throw NtkException.badInput(path + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(bytes, path.toString());
  }

  /**
   * Parses the bytes of a .npy file.
   *
   * @param bytes the whole file
   * @param name the file name, for messages
   * @return the array
   * @throws NtkException (bad input) when the bytes are not a supported .npy array
   */
  public static NpyArray parse(byte[] bytes, String name) {
    if (bytes.length < 10) {
      throw NtkException.badInput(
          name + ": truncated .npy header: " + bytes.length + " bytes, at least 10 needed");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw NtkException.badInput(
            name + ": not a .npy file (bytes 0-5 should be \\x93NUMPY); write it with numpy.save");
      }
    }
    int major = bytes[6] & 0xff;
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw NtkException.badInput(name + ": truncated .npy header at offset 8");
      }
      headerLength = buf.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw NtkException.badInput(
          name + ": unsupported .npy format version " + major + " (supported: 1, 2, 3)");
    }
    if (headerStart + headerLength > bytes.length) {
      throw NtkException.badInput(
          name
              + ": truncated .npy header: it declares "
              + headerLength
              + " bytes from offset "
              + headerStart
              + " but the file has "
              + bytes.length
              + " bytes");
    }
    String header =
        new String(
            bytes,
            headerStart,
            (int) headerLength,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name, "descr");
    String fortran = group(FORTRAN, header, name, "fortran_order");
    int[] shape = parseShape(group(SHAPE, header, name, "shape"), name);
    if (fortran.equals("True")) {
      throw NtkException.badInput(
          name
              + ": Fortran-ordered arrays are not supported; save with"
              + " numpy.save(f, numpy.ascontiguousarray(a))");
    }

    long count = 1;
    for (int d : shape) {
      count *= d;
      if (count > Integer.MAX_VALUE) {
        throw NtkException.resources(
            name + ": shape " + shapeString(shape) + " exceeds one Java array; split the file");
      }
    }
    int itemSize = itemSize(descr, name);
    int dataStart = headerStart + (int) headerLength;
    long needed = count * itemSize;
    long available = bytes.length - (long) dataStart;
    if (needed != available) {
      throw NtkException.badInput(
          name
              + ": data at offset "
              + dataStart
              + " should hold "
              + needed
              + " bytes for shape "
              + shapeString(shape)
              + " of "
              + descr
              + ", but "
              + available
              + " bytes follow"
              + (needed > available ? " (file truncated)" : " (trailing bytes)"));
    }

    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) needed).slice();
    data.order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[(int) count];
    char kind = descr.charAt(1);
    for (int i = 0; i < values.length; i++) {
      int at = i * itemSize;
      values[i] =
          switch (kind) {
            case 'f' -> itemSize == 4 ? data.getFloat(at) : data.getDouble(at);
            case 'i' ->
                switch (itemSize) {
                  case 1 -> data.get(at);
                  case 2 -> data.getShort(at);
                  case 4 -> data.getInt(at);
                  default -> data.getLong(at);
                };
            default -> data.get(at) & 0xff;
          };
    }
    return new NpyArray(shape, values, descr);
  }

  private static String group(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw NtkException.badInput(
          name + ": .npy header has no valid '" + key + "' entry: " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String text, String name) {
    List<Integer> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (t.endsWith("L")) {
        t = t.substring(0, t.length() - 1);
      }
      try {
        int d = Integer.parseInt(t);
        if (d < 0) {
          throw new NumberFormatException();
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw NtkException.badInput(name + ": .npy shape (" + text + ") has a bad dimension");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int itemSize(String descr, String name) {
    switch (descr) {
      case "<f4", ">f4", "<i4", ">i4":
        return 4;
      case "<f8", ">f8", "<i8", ">i8":
        return 8;
      case "<i2", ">i2":
        return 2;
      case "|u1", "|i1", "<u1", "<i1":
        return 1;
      default:
        throw NtkException.badInput(
            name
                + ": unsupported .npy dtype '"
                + descr
                + "'; convert with a.astype(numpy.float64) (supported: float32, float64, int8-64,"
                + " uint8)");
    }
  }

  private static String shapeString(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /**
   * Writes a 2-D array as .npy, atomically.
   *
   * @param path the file
   * @param data rows·cols values, row-major
   * @param rows rows
   * @param cols columns
   * @param float32 true to store float32, false for float64
   * @throws NtkException (bad input) when the file cannot be written, naming the directory
   */
  public static void write(Path path, double[] data, int rows, int cols, boolean float32) {
    write(path, data, new int[] {rows, cols}, float32);
  }

  /**
   * Writes an array of any shape as .npy, atomically (temporary file, then rename).
   *
   * @param path the file
   * @param data the values in C order
   * @param shape the dimensions; their product must equal the data length
   * @param float32 true to store float32, false for float64
   * @throws NtkException (bad input) when the file cannot be written
   */
  public static void write(Path path, double[] data, int[] shape, boolean float32) {
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "shape " + shapeString(shape) + " needs " + count + " values, got " + data.length);
    }
    String descr = float32 ? "<f4" : "<f8";
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
    // The header (magic, version, length, dict, padding, newline) is padded to a multiple of 64.
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    int itemSize = float32 ? 4 : 8;
    ByteBuffer body =
        ByteBuffer.allocate(Math.toIntExact((long) data.length * itemSize))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (double v : data) {
      if (float32) {
        body.putFloat((float) v);
      } else {
        body.putDouble(v);
      }
    }
    ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    AtomicFiles.write(
        path,
        out -> {
          out.write(head.array());
          out.write(header.getBytes(StandardCharsets.ISO_8859_1));
          out.write(body.array());
        });
  }

  /** Something that writes a file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the content.
     *
     * @param out the stream
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }
}
