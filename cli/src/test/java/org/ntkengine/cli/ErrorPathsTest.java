package org.ntkengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntkengine.io.Npy;

/**
 * Every class of bad input through the command line: one line naming the problem and the fix, the
 * documented exit code (2 usage, 3 bad data, 4 resources), no stack trace and no output file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorPathsTest {
  @TempDir static Path dir;

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  @BeforeAll
  void writeFixtures() throws IOException {
    Files.writeString(dir.resolve("ragged.csv"), "a,b,label\n1,2,0\n3,4\n");
    Files.writeString(dir.resolve("text.csv"), "a,b,label\n1,2,0\n3,abc,1\n");
    Files.writeString(dir.resolve("inf.csv"), "a,b,label\n1,2,0\n3,Infinity,1\n");
    Files.writeString(dir.resolve("nolabel.csv"), "a,b,c\n1,2,0\n3,4,1\n");
    Files.writeString(dir.resolve("empty.csv"), "a,b,label\n");
    Npy.write(dir.resolve("x3.npy"), new double[30], 10, 3, false);
    Npy.write(dir.resolve("x4.npy"), new double[28], 7, 4, false);
    double[] withNan = new double[12];
    withNan[7] = Double.NaN;
    Npy.write(dir.resolve("nan.npy"), withNan, 4, 3, false);
    writeNpyHeader("complex.npy", "<c8", "False", "(2,)", 16);
    writeNpyHeader("fortran.npy", "<f8", "True", "(2, 2)", 32);
    writeNpyHeader("short.npy", "<f8", "False", "(3, 3)", 40);

    // Fashion-MNIST look-alikes: a truncated gzip, a labels file with an image magic number, and
    // an image file whose header promises more pixels than it holds.
    Path fm = Files.createDirectories(dir.resolve("fm"));
    byte[] images = idx(0x0803, new int[] {4, 28, 28}, 4 * 28 * 28);
    byte[] gz = gzip(images);
    Files.write(fm.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
    byte[] labels = idx(0x0801, new int[] {4}, 4);
    Files.write(fm.resolve("train-labels-idx1-ubyte"), labels);
    Path mislabelled = Files.createDirectories(dir.resolve("mislabelled"));
    Files.write(mislabelled.resolve("train-images-idx3-ubyte"), images);
    Files.write(mislabelled.resolve("train-labels-idx1-ubyte"), idx(0x0803, new int[] {4}, 4));
    Path shortIdx = Files.createDirectories(dir.resolve("shortidx"));
    Files.write(
        shortIdx.resolve("train-images-idx3-ubyte"), idx(0x0803, new int[] {9, 28, 28}, 100));
    Files.write(shortIdx.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {9}, 9));
    Files.write(dir.resolve("plainfile"), new byte[] {1});
  }

  private void writeNpyHeader(String name, String descr, String fortran, String shape, int bytes)
      throws IOException {
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + bytes);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.put((byte) header.length()).put((byte) (header.length() >> 8));
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    Files.write(dir.resolve(name), b.array());
  }

  private static byte[] idx(int magic, int[] dims, int payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  Stream<Arguments> cases() {
    String k = "kernel";
    String w = "--width";
    return Stream.of(
        // data values
        Arguments.of(List.of(k, "--data", "npy:" + path("nan.npy")), 3, "row 2, column 1"),
        Arguments.of(List.of(k, "--data", "csv:" + path("inf.csv")), 3, "line 3"),
        Arguments.of(List.of(k, "--data", "csv:" + path("ragged.csv")), 3, "line 3 has 2 fields"),
        Arguments.of(List.of(k, "--data", "csv:" + path("text.csv")), 3, "'abc' is not a number"),
        Arguments.of(
            List.of(k, "--data", "csv:" + path("nolabel.csv") + ":label=label"),
            3,
            "no label column named 'label'"),
        Arguments.of(List.of(k, "--data", "csv:" + path("empty.csv")), 3, "no samples"),
        // shapes
        Arguments.of(
            List.of(k, "--data", "npy:" + path("x3.npy"), "--data2", "npy:" + path("x4.npy")),
            3,
            "3 input columns but --data2 has 4"),
        Arguments.of(
            List.of("spectrum", "--data", "synthetic:hf1d:6", w, "8", "--top", "7"),
            2,
            "between 1 and 6"),
        Arguments.of(
            List.of("analyze", "--data", "synthetic:hf1d:6", w, "8", "--top", "7"),
            2,
            "between 1 and 6"),
        Arguments.of(List.of(k, "--data", "synthetic:hf1d:0"), 2, "not a sample count"),
        Arguments.of(List.of(k, "--data", "synthetic:hf1d:5", w, "0"), 2, "at least 1, got 0"),
        Arguments.of(List.of(k, "--data", "synthetic:hf1d:5", "--depth", "-2"), 2, "got -2"),
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:5", "--survival", "1.5"), 2, "(0, 1], got 1.5"),
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:5", "--survival", "0"), 2, "(0, 1], got 0"),
        // names and option values
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:5", "--backend", "tpu"),
            2,
            "unknown backend 'tpu'"),
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:5", "--precision", "fp16"),
            2,
            "unknown precision 'fp16'"),
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:5", "--activation", "tanh"), 2, "relu or erf"),
        Arguments.of(List.of(k, "--data", "synthetic:hf1d:5", "--widht", "8"), 2, "--widht"),
        Arguments.of(List.of(k, "--data", "mnist:train:5"), 2, "bad data spec"),
        // files
        Arguments.of(List.of(k, "--data", "npy:" + path("complex.npy")), 3, "unsupported .npy"),
        Arguments.of(List.of(k, "--data", "npy:" + path("fortran.npy")), 3, "Fortran-ordered"),
        Arguments.of(List.of(k, "--data", "npy:" + path("short.npy")), 3, "72 bytes"),
        Arguments.of(
            List.of(k, "--data", "fashion-mnist:train:4", "--data-dir", path("fm")),
            3,
            "truncated"),
        Arguments.of(
            List.of(k, "--data", "fashion-mnist:train:4", "--data-dir", path("mislabelled")),
            3,
            "train-labels-idx1-ubyte"),
        Arguments.of(
            List.of(k, "--data", "fashion-mnist:train:4", "--data-dir", path("shortidx")),
            3,
            "offset 16"),
        Arguments.of(
            List.of(k, "--data", "fashion-mnist:train:4", "--data-dir", path("none")),
            3,
            "apt-get install dataset-fashion-mnist"),
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:5", w, "8", "--out", path("plainfile") + "/k.npy"),
            3,
            "cannot write"),
        // memory
        Arguments.of(
            List.of(k, "--data", "synthetic:hf1d:200000", w, "8"), 4, "GiB, the Java heap has"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void failsWithOneClearLineAndTheDocumentedExitCode(
      List<String> args, int exitCode, String fragment) throws IOException {
    Path out = dir.resolve("out-" + Math.abs(args.hashCode()) + ".npy");
    String[] argv = args.toArray(new String[0]);
    if (!args.contains("--out") && args.get(0).equals("kernel")) {
      argv = Arrays.copyOf(argv, argv.length + 2);
      argv[argv.length - 2] = "--out";
      argv[argv.length - 1] = out.toString();
    }
    CliTestSupport.Result r = CliTestSupport.run(argv);
    assertEquals(exitCode, r.exitCode(), "exit code for " + args + ": " + r.err());
    assertTrue(
        r.err().contains(fragment),
        "message for " + args + " lacks '" + fragment + "': " + r.err());
    assertFalse(r.err().contains("\tat "), "stack trace printed: " + r.err());
    assertFalse(r.err().contains("Exception"), "exception name printed: " + r.err());
    assertFalse(Files.exists(out), "output written despite the error");
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp left");
    }
  }
}
