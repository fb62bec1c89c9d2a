package dev.modelship.controller.cli;

import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.local.DemoTraffic;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code modelship examples traffic}: steady inference requests of click data to an app, for canaries to judge. */
@Command(name = "traffic", mixinStandardHelpOptions = true,
    description = {"Send steady V2 inference requests of synthetic click data to a click model's endpoint (an app's "
        + "traffic port under modelship up, or a serving runtime), so a canary analysis has live traffic to judge. "
        + "Prints what answered every --every seconds: requests answered by each backend (the router's "
        + "X-Modelship-Backend header), and how many failed.",
        "Features are sent in the trained model's order (the sorted column names of generate-data)."})
public final class TrafficCommand implements Callable<Integer> {
  @Option(names = "--to", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
      description = "The endpoint (default ${DEFAULT-VALUE}: production's first app under modelship up).")
  URI endpoint;

  @Option(names = "--model", defaultValue = "clicks", description = "The model name (default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--rps", defaultValue = "20", description = "Requests per second (default ${DEFAULT-VALUE}).")
  int requestsPerSecond;

  @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds; 0 (default) runs "
      + "until Ctrl-C.")
  long seconds;

  @Option(names = "--every", defaultValue = "5", description = "Seconds between progress lines (default "
      + "${DEFAULT-VALUE}).")
  long every;

  @Option(names = "--free-every", defaultValue = "0", paramLabel = "N", description = "Make one request in N for a "
      + "free item (price 0), which the training data never has; 0 (default) for none.")
  int freeEvery;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (requestsPerSecond < 1 || requestsPerSecond > 10_000 || seconds < 0 || every < 1 || freeEvery < 0) {
      err.println("error: --rps must be 1-10000, --seconds 0 or more, --every 1 or more, --free-every 0 or more");
      return CommandLine.ExitCode.USAGE;
    }
    if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http") || endpoint.getHost() == null) {
      err.println("error: --to must be an http(s) URL such as http://127.0.0.1:8080, not " + endpoint);
      return CommandLine.ExitCode.USAGE;
    }
    String base = endpoint.toString().replaceAll("/+$", "");
    List<String> features = new ArrayList<>(ClickData.FEATURES);
    features.sort(null);
    DemoTraffic traffic = new DemoTraffic(() -> URI.create(base), model, features, requestsPerSecond, freeEvery)
        .countOnly();
    out.println("sending " + requestsPerSecond + " requests/s to " + base + "/v2/models/" + model + "/infer"
        + (seconds > 0 ? " for " + seconds + " s" : " until Ctrl-C"));
    out.flush();
    Thread stopper = new Thread(() -> {
      try {
        traffic.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      report(out, traffic, "stopped");
    });
    Runtime.getRuntime().addShutdownHook(stopper);
    traffic.start();
    long started = System.nanoTime();
    while (seconds == 0 || System.nanoTime() - started < seconds * 1_000_000_000L) {
      long left = seconds == 0 ? every * 1000 : Math.min(every * 1000,
          (seconds * 1_000_000_000L - (System.nanoTime() - started)) / 1_000_000);
      Thread.sleep(Math.max(1, left));
      report(out, traffic, String.format(Locale.ROOT, "%5.0fs", (System.nanoTime() - started) / 1e9));
    }
    Runtime.getRuntime().removeShutdownHook(stopper);
    traffic.close();
    long failed = traffic.counts().values().stream().mapToLong(tally -> tally[1]).sum();
    return failed == 0 ? 0 : 1;
  }

  private static void report(PrintWriter out, DemoTraffic traffic, String when) {
    StringBuilder line = new StringBuilder(when).append(": sent ").append(traffic.sent());
    long failed = 0;
    for (Map.Entry<String, long[]> backend : traffic.counts().entrySet()) {
      line.append(", ").append(backend.getKey()).append(' ').append(backend.getValue()[0]).append(" ok");
      if (backend.getValue()[1] > 0) {
        line.append(" ").append(backend.getValue()[1]).append(" failed");
      }
      failed += backend.getValue()[1];
    }
    line.append(failed == 0 ? "" : " (" + failed + " failed in all)");
    out.println(line);
    out.flush();
  }
}
