package org.ntkengine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.ExitCode;
import org.ntkengine.NtkException;

/** The IDX reader on hand-made files: plain and gzipped, truncated and corrupt. */
class IdxTest {
  @TempDir Path dir;

  /** A 3×2×2 unsigned-byte IDX file holding 0, 1, …, 11. */
  private static byte[] idx() {
    byte[] b = new byte[4 + 12 + 12];
    b[2] = 0x08;
    b[3] = 3;
    b[7] = 3;
    b[11] = 2;
    b[15] = 2;
    for (int i = 0; i < 12; i++) {
      b[16 + i] = (byte) i;
    }
    return b;
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void plainAndGzippedFilesReadTheSame() throws IOException {
    Path plain = Files.write(dir.resolve("a-idx3-ubyte"), idx());
    Path gz = Files.write(dir.resolve("a-idx3-ubyte.gz"), gzip(idx()));
    Idx.Array a = Idx.read(plain);
    Idx.Array b = Idx.read(gz);
    assertArrayEquals(new int[] {3, 2, 2}, a.dims());
    assertEquals(3, a.count());
    assertEquals(4, a.itemSize());
    assertArrayEquals(Arrays.copyOfRange(idx(), 16, 28), a.data());
    assertArrayEquals(a.data(), b.data());
  }

  @Test
  void truncatedDataNamesOffsetAndSizes() throws IOException {
    Path p = Files.write(dir.resolve("t"), Arrays.copyOf(idx(), 25));
    NtkException e = assertThrows(NtkException.class, () -> Idx.read(p));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("offset 16"), e.getMessage());
    assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("holds 9"), e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    Path p = Files.write(dir.resolve("h"), Arrays.copyOf(idx(), 9));
    NtkException e = assertThrows(NtkException.class, () -> Idx.read(p));
    assertTrue(e.getMessage().contains("header"), e.getMessage());
    assertTrue(e.getMessage().contains("16"), e.getMessage());
  }

  @Test
  void truncatedAndCorruptGzipAreReported() throws IOException {
    byte[] gz = gzip(idx());
    Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 10));
    NtkException e = assertThrows(NtkException.class, () -> Idx.read(cut));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
    byte[] bad = gz.clone();
    bad[12] ^= (byte) 0xff;
    bad[13] ^= (byte) 0xff;
    Path corrupt = Files.write(dir.resolve("bad.gz"), bad);
    NtkException e2 = assertThrows(NtkException.class, () -> Idx.read(corrupt));
    assertEquals(ExitCode.BAD_INPUT, e2.exitCode());
  }

  @Test
  void missingFilesSayHowToInstall() {
    NtkException e =
        assertThrows(
            NtkException.class,
            () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN, 10, 0, null));
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
  }
}
