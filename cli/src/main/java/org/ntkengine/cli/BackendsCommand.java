package org.ntkengine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkengine.backend.Availability;
import org.ntkengine.backend.BackendProvider;
import org.ntkengine.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ntk backends}: every backend found, whether it can run here, and why not. */
@Command(
    name = "backends",
    mixinStandardHelpOptions = true,
    description = "List the backends, available or not with the reason, and their details.")
final class BackendsCommand implements Callable<Integer> {

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the list as JSON.")
  Path json;

  @Override
  public Integer call() {
    List<Map<String, Object>> rows = new ArrayList<>();
    String auto = null;
    for (BackendProvider p : Backends.providers()) {
      Availability a = p.availability();
      if (auto == null && a.available()) {
        auto = p.name();
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", p.name());
      row.put("available", a.available());
      row.put("reason", a.reason());
      row.put("priority", p.priority());
      row.put("details", p.details());
      rows.add(row);
      System.out.printf(
          "%-10s %-12s %s%n", p.name(), a.available() ? "available" : "unavailable", a.reason());
      for (Map.Entry<String, String> d : p.details().entrySet()) {
        System.out.printf("%-10s   %s: %s%n", "", d.getKey(), d.getValue());
      }
    }
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("arch", System.getProperty("os.arch"));
    cpu.put("cores", Runtime.getRuntime().availableProcessors());
    cpu.put("java", System.getProperty("java.version"));
    System.out.printf(
        "auto picks: %s   (cpu %s, %d cores, Java %s)%n",
        auto, cpu.get("arch"), cpu.get("cores"), cpu.get("java"));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("backends", rows);
    report.put("auto", auto);
    report.put("cpu", cpu);
    Json.write(json, report);
    return 0;
  }
}
