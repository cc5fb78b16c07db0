package org.ntkengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fatbin resource: present wherever nvcc is, one machine-code image per configured architecture
 * plus PTX, and every kernel the backend looks up by name in each of them. Runs without a GPU.
 */
class KernelFatbinTest {
  private static final int FATBIN_MAGIC = 0xBA55ED50;
  private static final int KIND_PTX = 1;
  private static final int KIND_ELF = 2;

  /** One image of the fatbin. */
  private record Image(int kind, int arch, byte[] payload) {}

  private static byte[] fatbin;
  private static Properties info;
  private static String skipReason;

  @BeforeAll
  static void load() {
    fatbin = Kernels.fatbin();
    info = Kernels.buildInfo();
    if (fatbin == null) {
      String require = System.getProperty("ntk.require", "");
      String skipped = info.getProperty("skipped");
      if (skipped == null || require.contains("cuda") || require.contains("fatbin")) {
        fail(
            "no "
                + Kernels.FATBIN_RESOURCE
                + " on the class path"
                + (skipped == null
                    ? ": the ntk-native build step did not run (build with -am)"
                    : " (" + skipped + ") but -Dntk.require=" + require));
      }
      skipReason = "the kernel fatbin was not built: " + skipped;
    }
  }

  @BeforeEach
  void fatbinBuilt() {
    // Per test rather than in @BeforeAll, so that the report carries the reason.
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  /**
   * Splits the fatbin into its images. Layout (as nvcc writes it): a 16-byte header (magic u32,
   * version u16, header size u16, payload size u64), then entries, each with a header holding kind
   * u16 at 0 (1 PTX, 2 ELF), header size u32 at 4, payload size u64 at 8 and the architecture u32
   * at 28, followed by its payload.
   */
  private static List<Image> images() {
    ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(FATBIN_MAGIC, b.getInt(0), "fatbin magic");
    int headerSize = Short.toUnsignedInt(b.getShort(6));
    long end = headerSize + b.getLong(8);
    assertEquals(fatbin.length, end, "fatbin header size + payload size = file size");
    List<Image> out = new ArrayList<>();
    long at = headerSize;
    while (at < end) {
      int p = (int) at;
      int kind = Short.toUnsignedInt(b.getShort(p));
      int entryHeader = b.getInt(p + 4);
      long payloadSize = b.getLong(p + 8);
      int arch = b.getInt(p + 28);
      byte[] payload = new byte[(int) payloadSize];
      System.arraycopy(fatbin, p + entryHeader, payload, 0, payload.length);
      out.add(new Image(kind, arch, payload));
      at += entryHeader + payloadSize;
    }
    return out;
  }

  @Test
  void holdsMachineCodeForEveryConfiguredArchitectureAndPtx() {
    TreeSet<Integer> expected = new TreeSet<>();
    for (String a : info.getProperty("archs", "").trim().split("\\s+")) {
      expected.add(Integer.parseInt(a));
    }
    int ptxArch = Integer.parseInt(info.getProperty("ptx", "-1").trim());
    TreeSet<Integer> elf = new TreeSet<>();
    TreeSet<Integer> ptx = new TreeSet<>();
    for (Image image : images()) {
      if (image.kind() == KIND_ELF) {
        assertEquals(0x7f, image.payload()[0], "ELF image for sm_" + image.arch());
        elf.add(image.arch());
      } else if (image.kind() == KIND_PTX) {
        ptx.add(image.arch());
      }
    }
    assertEquals(expected, elf, "architectures with machine code");
    assertEquals(new TreeSet<>(List.of(ptxArch)), ptx, "PTX");
    assertTrue(expected.contains(75) && expected.contains(90), "sm_75 and sm_90 are built");
  }

  @Test
  void everyKernelTheBackendLooksUpIsInEveryImage() {
    List<Image> images = images();
    for (String name : Kernels.allNames()) {
      byte[] symbol = ("\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
      byte[] entry = (".entry " + name + "(").getBytes(StandardCharsets.US_ASCII);
      for (Image image : images) {
        byte[] needle = image.kind() == KIND_PTX ? entry : symbol;
        assertTrue(
            indexOf(image.payload(), needle) >= 0,
            "kernel "
                + name
                + " missing from the "
                + (image.kind() == KIND_PTX ? "PTX" : "sm")
                + "_"
                + image.arch()
                + " image");
      }
    }
  }

  @Test
  void kernelNamesAreDistinctAndCoverBothPrecisions() {
    List<String> names = Kernels.allNames();
    assertEquals(names.size(), new TreeSet<>(names).size(), "duplicate kernel names");
    assertTrue(names.contains("ntk_gemm_f32") && names.contains("ntk_gemm_f64"));
    assertTrue(names.contains("ntk_gemm_tf32"));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
