package org.ntkengine.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ntkengine.NtkException;

/**
 * Reads IDX files (the MNIST format: two zero bytes, a type byte, a dimension count, big-endian
 * 32-bit dimensions, then the data), gzipped or not; gzip is recognised by its magic bytes, not by
 * the file name. Only unsigned bytes (type 0x08) are accepted, which is what (Fashion-)MNIST uses.
 */
public final class Idx {
  private Idx() {}

  /**
   * An IDX array of unsigned bytes.
   *
   * @param dims the dimensions, e.g. {60000, 28, 28}
   * @param data the values 0..255, C order
   */
  public record Array(int[] dims, byte[] data) {
    /**
     * Returns the number of items (the first dimension).
     *
     * @return dims[0]
     */
    public int count() {
      return dims[0];
    }

    /**
     * Returns the size of one item (the product of the other dimensions).
     *
     * @return values per item
     */
    public int itemSize() {
      int s = 1;
      for (int i = 1; i < dims.length; i++) {
        s *= dims[i];
      }
      return s;
    }
  }

  /**
   * Reads an IDX file.
   *
   * @param path the file, gzipped or not
   * @return the array
   * @throws NtkException (bad input) naming the file, the offset and the expected and actual sizes
   *     when it is missing, truncated, corrupt or of another type
   */
  public static Array read(Path path) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw NtkException.badInput(path + ": no such file");
    } catch (IOException e) {
      throw NtkException.badInput(path + ": cannot read (" + e.getMessage() + ")");
    }
    byte[] bytes =
        raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b
            ? gunzip(path, raw)
            : raw;
    return parse(bytes, path.toString());
  }

  private static byte[] gunzip(Path path, byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
    byte[] buf = new byte[1 << 16];
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      int r;
      while ((r = in.read(buf)) > 0) {
        out.write(buf, 0, r);
      }
    } catch (EOFException e) {
      throw NtkException.badInput(
          path
              + ": the gzip stream ends early (compressed file "
              + raw.length
              + " bytes, "
              + out.size()
              + " bytes decompressed before the end); the download is truncated: reinstall it"
              + " (apt-get install --reinstall dataset-fashion-mnist) or fetch the file again");
    } catch (ZipException e) {
      throw NtkException.badInput(
          path
              + ": corrupt gzip data after "
              + out.size()
              + " decompressed bytes ("
              + e.getMessage()
              + "); reinstall or fetch the file again");
    } catch (IOException e) {
      throw NtkException.badInput(path + ": cannot decompress (" + e.getMessage() + ")");
    }
    return out.toByteArray();
  }

  /**
   * Parses the bytes of an uncompressed IDX file.
   *
   * @param bytes the file content
   * @param name the file name, for messages
   * @return the array
   * @throws NtkException (bad input) on a bad header or a data section of the wrong size
   */
  public static Array parse(byte[] bytes, String name) {
    if (bytes.length < 4) {
      throw NtkException.badInput(
          name + ": truncated IDX header at offset 0: expected 4 bytes, got " + bytes.length);
    }
    if (bytes[0] != 0 || bytes[1] != 0) {
      throw NtkException.badInput(
          name + ": not an IDX file (bytes 0-1 must be zero); expected an MNIST-format file");
    }
    int type = bytes[2] & 0xff;
    if (type != 0x08) {
      throw NtkException.badInput(
          name
              + ": IDX element type 0x"
              + Integer.toHexString(type)
              + " at offset 2 is not supported; expected 0x08 (unsigned byte)");
    }
    int rank = bytes[3] & 0xff;
    int headerEnd = 4 + 4 * rank;
    if (rank == 0 || bytes.length < headerEnd) {
      throw NtkException.badInput(
          name
              + ": truncated IDX header at offset 4: "
              + rank
              + " dimensions need "
              + headerEnd
              + " header bytes, the file has "
              + bytes.length);
    }
    int[] dims = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      int o = 4 + 4 * i;
      dims[i] =
          ((bytes[o] & 0xff) << 24)
              | ((bytes[o + 1] & 0xff) << 16)
              | ((bytes[o + 2] & 0xff) << 8)
              | (bytes[o + 3] & 0xff);
      if (dims[i] < 0) {
        throw NtkException.badInput(
            name + ": IDX dimension " + i + " at offset " + o + " is negative: corrupt file");
      }
      count *= dims[i];
    }
    long actual = bytes.length - (long) headerEnd;
    if (actual != count) {
      throw NtkException.badInput(
          name
              + ": IDX data at offset "
              + headerEnd
              + " should hold "
              + count
              + " bytes for dimensions "
              + java.util.Arrays.toString(dims)
              + " but holds "
              + actual
              + (actual < count ? " (truncated)" : " (trailing bytes)")
              + "; reinstall or fetch the file again");
    }
    byte[] data = new byte[(int) count];
    System.arraycopy(bytes, headerEnd, data, 0, data.length);
    return new Array(dims, data);
  }
}
