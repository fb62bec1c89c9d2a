import com.sun.net.httpserver.HttpServer;
import dev.modelship.controller.analysis.AnalysisDecision;
import dev.modelship.controller.analysis.AnalysisRun;
import dev.modelship.controller.analysis.AnalysisStatus;
import dev.modelship.controller.analysis.BuiltInAnalyses;
import dev.modelship.controller.analysis.provider.ScrapeMetricProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/**
 * The analysis benchmark: the default canary analysis (built-in templates, default args: interval 30s, count 5,
 * window 1m, min-requests 20) run many times against simulated traffic, in simulated time. Each version's
 * traffic is a Poisson stream of requests with an error probability and log-normal latencies; its counters and
 * histogram are served as /metrics and read by the real scrape provider, so the whole judging path is the
 * production one. Reports the time from "the canary starts failing" to "abort decided", and how often healthy
 * canaries are aborted or paused. Writes its section of bench/RESULTS.md.
 *
 * <p>Run: bench/run-analysis (builds, then java -cp ... bench/AnalysisBench.java [--runs N]).
 */
public final class AnalysisBench {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int HORIZON_SECONDS = 900;
  private static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
      0.25, 0.5, 1, 2.5, 5, 10};

  /** Simulated time, moved by the benchmark. */
  static final class SimClock extends Clock {
    volatile Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Cumulative counters of one version, second by second. */
  static final class Traffic {
    final double[] requests = new double[HORIZON_SECONDS + 1];
    final double[] errors = new double[HORIZON_SECONDS + 1];
    final double[][] buckets = new double[HORIZON_SECONDS + 1][BOUNDS.length];

    static Traffic simulate(Random random, double perSecond, IntToDoubleFunction errorShare,
                            IntToDoubleFunction medianSeconds) {
      Traffic traffic = new Traffic();
      for (int s = 1; s <= HORIZON_SECONDS; s++) {
        int n = poisson(random, perSecond);
        int failed = 0;
        double[] inBucket = new double[BOUNDS.length];
        for (int i = 0; i < n; i++) {
          if (random.nextDouble() < errorShare.applyAsDouble(s)) {
            failed++;
          }
          double latency = medianSeconds.applyAsDouble(s) * Math.exp(0.35 * random.nextGaussian());
          for (int b = 0; b < BOUNDS.length; b++) {
            if (latency <= BOUNDS[b]) {
              inBucket[b]++;
            }
          }
        }
        traffic.requests[s] = traffic.requests[s - 1] + n;
        traffic.errors[s] = traffic.errors[s - 1] + failed;
        for (int b = 0; b < BOUNDS.length; b++) {
          traffic.buckets[s][b] = traffic.buckets[s - 1][b] + inBucket[b];
        }
      }
      return traffic;
    }

    String exposition(String version, int second) {
      int s = Math.max(0, Math.min(HORIZON_SECONDS, second));
      StringBuilder text = new StringBuilder();
      text.append("modelship_requests_total{code=\"200\",model=\"clicks\",protocol=\"v2\",version=\"").append(version)
          .append("\"} ").append(requests[s] - errors[s]).append('\n');
      text.append("modelship_requests_total{code=\"500\",model=\"clicks\",protocol=\"v2\",version=\"").append(version)
          .append("\"} ").append(errors[s]).append('\n');
      for (int b = 0; b < BOUNDS.length; b++) {
        text.append("modelship_request_duration_seconds_bucket{model=\"clicks\",version=\"").append(version)
            .append("\",le=\"").append(BOUNDS[b]).append("\"} ").append(buckets[s][b]).append('\n');
      }
      text.append("modelship_request_duration_seconds_bucket{model=\"clicks\",version=\"").append(version)
          .append("\",le=\"+Inf\"} ").append(requests[s]).append('\n');
      return text.toString();
    }
  }

  private static int poisson(Random random, double mean) {
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int n = 0;
    while (product > limit) {
      product *= random.nextDouble();
      n++;
    }
    return n;
  }

  /** One scenario's outcome over its runs. */
  record Outcome(String scenario, int runs, int promoted, int paused, int aborted, List<Double> secondsToAbort) {
  }

  private final SimClock clock = new SimClock();
  private volatile Traffic stable;
  private volatile Traffic canary;
  private final HttpServer server;
  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  AnalysisBench() throws Exception {
    // Without TCP_NODELAY every loopback scrape waits ~40 ms on delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      int second = (int) Duration.between(T0, clock.now).toSeconds();
      boolean isStable = exchange.getRequestURI().getPath().endsWith("/1");
      byte[] body = (isStable ? stable.exposition("1", second) : canary.exposition("2", second))
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics/";
  }

  /** Runs one analysis to its decision; returns the decision and when it was made. */
  private AnalysisStatus analyse(Traffic stableTraffic, Traffic canaryTraffic, int offsetSeconds) throws Exception {
    stable = stableTraffic;
    canary = canaryTraffic;
    clock.now = T0.plusSeconds(offsetSeconds);
    // A fresh provider per run: each run is its own timeline, starting again at the same simulated instant.
    ScrapeMetricProvider provider = new ScrapeMetricProvider(http,
        (model, version) -> List.of(URI.create(base + version)), Duration.ofMinutes(15));
    AnalysisRun run = new AnalysisRun("bench", BuiltInAnalyses.canary(),
        Map.of("model", "clicks", "version", "2", "stable-version", "1"), provider, clock);
    AnalysisStatus status = run.reconcile();
    while (status.decision().action() == AnalysisDecision.Action.WAIT) {
      clock.now = run.nextDueAt().orElseThrow();
      status = run.reconcile();
    }
    return status;
  }

  Outcome scenario(String name, int runs, long seed, double perSecond, double healthyErrors, double failingErrors,
                   double latencyFactor, boolean failLater) throws Exception {
    Random random = new Random(seed);
    int promoted = 0;
    int paused = 0;
    int aborted = 0;
    List<Double> toAbort = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      // The analysis starts at 120 s (a window of history); a failing canary turns bad 0-60 s into it.
      int start = 120;
      int failAt = failLater ? start + random.nextInt(61) : 0;
      Traffic stableTraffic = Traffic.simulate(random, perSecond, s -> healthyErrors, s -> 0.005);
      Traffic canaryTraffic = Traffic.simulate(random, perSecond,
          s -> s >= failAt ? failingErrors : healthyErrors, s -> s >= failAt ? 0.005 * latencyFactor : 0.005);
      AnalysisStatus status = analyse(stableTraffic, canaryTraffic, start);
      switch (status.decision().action()) {
        case PROMOTE: promoted++; break;
        case PAUSE: paused++; break;
        default:
          aborted++;
          toAbort.add((double) Duration.between(T0.plusSeconds(Math.max(failAt, start)), clock.now).toSeconds());
      }
    }
    return new Outcome(name, runs, promoted, paused, aborted, toAbort);
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 200;
    AnalysisBench bench = new AnalysisBench();
    List<Outcome> outcomes = new ArrayList<>();
    try {
      outcomes.add(bench.scenario("healthy canary, 20 req/s, 0.1 % errors on both", runs, 1, 20, 0.001, 0.001, 1,
          false));
      outcomes.add(bench.scenario("healthy canary, 5 req/s", runs, 2, 5, 0.001, 0.001, 1, false));
      outcomes.add(bench.scenario("healthy canary, 0.2 req/s (too little traffic)", runs / 4, 3, 0.2, 0.001, 0.001, 1,
          false));
      outcomes.add(bench.scenario("canary starts failing 5 % of requests", runs, 4, 20, 0.001, 0.05, 1, true));
      outcomes.add(bench.scenario("canary starts failing 2 % of requests", runs, 5, 20, 0.001, 0.02, 1, true));
      outcomes.add(bench.scenario("canary 30 % slower from the start", runs, 6, 20, 0.001, 0.001, 1.3, false));
      outcomes.add(bench.scenario("canary 10 % slower from the start (within tolerance)", runs, 7, 20, 0.001, 0.001,
          1.1, false));
    } finally {
      bench.server.stop(0);
    }
    String section = report(outcomes, runs);
    System.out.print(section);
    writeSection(Path.of("bench/RESULTS.md"), section);
  }

  private static String report(List<Outcome> outcomes, int runs) {
    StringBuilder text = new StringBuilder();
    text.append("## Canary analysis: time to abort and false aborts\n\n");
    text.append("`bench/run-analysis --runs ").append(runs).append("` on ").append(java.time.LocalDate.now())
        .append(". The default canary analysis (`modelship-canary`: interval 30s, count 5, window 1m, "
            + "min-requests 20, max error rate 1 %, p99 under 0.5 s, median latency compared with stable) judged "
            + "by the real scrape provider and judges, against simulated Poisson traffic (log-normal latency, "
            + "median 5 ms) in simulated time. \"Time to abort\" runs from the moment the canary turns bad "
            + "(0-60 s into the analysis) to the abort decision.\n\n");
    text.append("| scenario | runs | promoted | paused | aborted | time to abort p50 / p95 / max (s) |\n");
    text.append("|---|---|---|---|---|---|\n");
    for (Outcome o : outcomes) {
      double[] times = o.secondsToAbort().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      String timing = times.length == 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f",
          times[times.length / 2], times[(int) Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)],
          times[times.length - 1]);
      text.append(String.format(Locale.ROOT, "| %s | %d | %d (%.1f %%) | %d (%.1f %%) | %d (%.1f %%) | %s |%n",
          o.scenario(), o.runs(), o.promoted(), 100.0 * o.promoted() / o.runs(), o.paused(),
          100.0 * o.paused() / o.runs(), o.aborted(), 100.0 * o.aborted() / o.runs(), timing));
    }
    return text.append('\n').toString();
  }

  /** Replaces this benchmark's section of RESULTS.md (between its markers), or appends it. */
  static void writeSection(Path file, String section) throws Exception {
    String start = "<!-- analysis-bench:start -->\n";
    String end = "<!-- analysis-bench:end -->\n";
    String existing = Files.exists(file) ? Files.readString(file) : "";
    int from = existing.indexOf(start);
    int to = existing.indexOf(end);
    String updated = from >= 0 && to > from
        ? existing.substring(0, from) + start + section + existing.substring(to)
        : existing + (existing.endsWith("\n") || existing.isEmpty() ? "" : "\n") + start + section + end;
    Files.writeString(file, updated);
  }
}
