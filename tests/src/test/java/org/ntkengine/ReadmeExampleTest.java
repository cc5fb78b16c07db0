package org.ntkengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkengine.backend.Backend;
import org.ntkengine.backend.Backends;
import org.ntkengine.backend.Matrix;
import org.ntkengine.backend.Precision;
import org.ntkengine.data.Dataset;
import org.ntkengine.data.Synthetic;
import org.ntkengine.model.ModelSpec;
import org.ntkengine.model.Network;
import org.ntkengine.ntk.EmpiricalNtk;

/**
 * Compiles and runs the Java block of README.md that follows the {@code embed-example} marker, and
 * checks the eigenvalues it prints against EJML's dense eigensolver on the same kernel.
 */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void readmeExampleCompilesRunsAndPrintsTheTopEigenvalues() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    String text = Files.readString(readme);
    int marker = text.indexOf("<!-- embed-example -->");
    assertTrue(marker >= 0, "README.md has no embed-example marker");
    int start = text.indexOf("```java\n", marker) + "```java\n".length();
    int end = text.indexOf("```", start);
    Path source = dir.resolve("Example.java");
    Files.writeString(source, text.substring(start, end));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            dir.toString(),
            source.toString());
    assertEquals(0, status, "the README example does not compile:\n" + diagnostics);

    String printed;
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      Method main = loader.loadClass("Example").getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(old);
    }
    printed = out.toString(StandardCharsets.UTF_8).trim();
    double[] got =
        Arrays.stream(printed.replace("[", "").replace("]", "").split(","))
            .mapToDouble(s -> Double.parseDouble(s.trim()))
            .toArray();

    double[] expected = denseTopEigenvalues(5);
    assertEquals(5, got.length, printed);
    for (int i = 0; i < 5; i++) {
      assertEquals(expected[i], got[i], 1e-8 * expected[0], "eigenvalue " + i + ": " + printed);
    }
  }

  /** The same kernel as the example, its spectrum from EJML's dense symmetric eigensolver. */
  private static double[] denseTopEigenvalues(int k) {
    Dataset data = Synthetic.hf2d(200, 1);
    ModelSpec spec = ModelSpec.builder(data.inputDim()).width(256).depth(3).build();
    double[] theta = new double[200 * 200];
    try (Backend backend = Backends.open("reference");
        Network net = Network.initialize(backend, Precision.FP64, spec, 42);
        Matrix x = data.inputs(backend, Precision.FP64);
        Matrix t = new EmpiricalNtk(net).kernel(x)) {
      backend.download(t, theta);
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(200, false, true);
    assertTrue(eig.decompose(DMatrixRMaj.wrap(200, 200, theta)), "EJML failed");
    double[] values = new double[200];
    for (int i = 0; i < 200; i++) {
      values[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(values);
    double[] top = new double[k];
    for (int i = 0; i < k; i++) {
      top[i] = values[values.length - 1 - i];
    }
    return top;
  }

  @Test
  void readmeStartsWithTheTwoCommands() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    List<String> lines = Files.readAllLines(readme);
    int fence = lines.indexOf("```bash");
    assertTrue(fence >= 0 && fence < 5, "README must open with a bash block of two commands");
    assertTrue(lines.get(fence + 1).startsWith("./ntk "), lines.get(fence + 1));
    assertTrue(lines.get(fence + 2).startsWith("mvn -B verify"), lines.get(fence + 2));
  }
}
