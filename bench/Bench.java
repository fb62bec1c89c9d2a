import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving benchmark: in-process ONNX Runtime (the ceiling) against the serving runtime under wrk, for the
 * small logistic model and a 512 x 2048 x 2048 MLP, at several concurrencies; then a soak of the small model at
 * concurrency 128 with RSS before and after. Writes a Markdown report. Run through bench/run.
 */
public final class Bench {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path WORK = ROOT.resolve("bench/work");
  private static final String LIB = ROOT.resolve("serving-runtime/target/lib").toString() + "/*";

  private final Map<String, String> options;
  private final StringBuilder report = new StringBuilder();

  private Bench(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("duration", "20", "soak", "300",
        "concurrency", "1,8,32,128", "models", "small,mlp", "threads", Integer.toString(
            Runtime.getRuntime().availableProcessors()), "out", "bench/RESULTS.md", "server-java-opts", "",
        "label", "current"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new Bench(options).run();
  }

  private void run() throws Exception {
    Files.createDirectories(WORK);
    header();
    for (String model : options.get("models").split(",")) {
      if (!model.isBlank()) {
        benchModel(model);
      }
    }
    if (Integer.parseInt(options.get("soak")) > 0) {
      soak();
    }
    Path out = ROOT.resolve(options.get("out"));
    writeSection(out, report.toString());
    System.out.println("wrote " + out);
  }

  private void header() throws Exception {
    report.append("## Serving benchmark: ").append(options.get("label")).append("\n\n");
    report.append("Run on ").append(LocalDate.now()).append(" with `bench/run");
    options.forEach((k, v) -> report.append(" --").append(k).append(' ').append(v.isEmpty() ? "''" : v));
    report.append("`\n\n");
    report.append("| machine | |\n|---|---|\n");
    report.append("| CPU | ").append(sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trim()).append(" |\n");
    report.append("| cores | ").append(sh("nproc").trim()).append(" |\n");
    report.append("| memory | ").append(sh("free -g | awk '/Mem:/{print $2\" GiB\"}'").trim()).append(" |\n");
    report.append("| JDK | ").append(sh("java -version 2>&1 | head -1").trim()).append(" |\n");
    report.append("| ONNX Runtime | ").append(sh("ls serving-runtime/target/lib | grep onnxruntime").trim())
        .append(" |\n");
    report.append("| load generator | ").append(sh("wrk -v 2>&1 | head -1").trim())
        .append(", 1 thread, keep-alive, same machine |\n");
    report.append("| intra-op threads | ").append(options.get("threads")).append(" (server and ceiling) |\n\n");
  }

  /** Replaces this benchmark's section of the results file (between its markers), or appends it. */
  private static void writeSection(Path file, String section) throws IOException {
    String start = "<!-- serving-bench:start -->\n";
    String end = "<!-- serving-bench:end -->\n";
    String existing = Files.exists(file) ? Files.readString(file) : "";
    int from = existing.indexOf(start);
    int to = existing.indexOf(end);
    String updated = from >= 0 && to > from
        ? existing.substring(0, from) + start + section + existing.substring(to)
        : existing + start + section + end;
    Files.writeString(file, updated);
  }

  private Path modelRepository(String model) throws Exception {
    Path repo = WORK.resolve("models-" + model);
    if (!Files.exists(repo.resolve(model + "/1/model.onnx"))) {
      String kind = model.equals("mlp") ? "mlp" : "logistic";
      exec(List.of(ROOT.resolve("modelship").toString(), "examples", "model", "--out", repo.toString(), "--kind", kind,
          "--name", model), Duration.ofMinutes(5));
    }
    return repo;
  }

  private void benchModel(String model) throws Exception {
    Path repo = modelRepository(model);
    Path onnx = repo.resolve(model + "/1/model.onnx");
    System.out.println("ceiling: in-process ONNX Runtime on " + model);
    Map<String, String> ceiling = keyValues(exec(List.of("java", "-cp", LIB, "bench/OrtCeiling.java",
        onnx.toString(), options.get("threads"), "3"), Duration.ofMinutes(10)));
    int features = Integer.parseInt(ceiling.get("features"));
    double ceilingRows = Double.parseDouble(ceiling.get("best_rows_per_s"));
    double ceilingP50 = Double.parseDouble(ceiling.get("single_p50_us"));
    report.append("## ").append(model.equals("mlp") ? "MLP 512 x 2048 x 2048 x 2 (compute-bound)"
        : "Small logistic model, 8 features (overhead-bound)").append("\n\n");
    report.append(String.format(Locale.ROOT, "Ceiling (in-process ORT, same thread settings): single row p50 %.0f us, "
            + "p99 %.0f us; best %,.0f rows/s at batch %s (%s).%n%n", ceilingP50,
        Double.parseDouble(ceiling.get("single_p99_us")), ceilingRows, ceiling.get("best_batch"), batchCurve(ceiling)));
    Path body = writeBody(model, features);
    report.append("| concurrency | requests/s | rows/s | served/ceiling rows | p50 ms | p99 ms | p99.9 ms | "
        + "errors | avg batch | server CPU us/request |\n|---|---|---|---|---|---|---|---|---|---|\n");
    try (Server server = Server.start(repo, options.get("threads"), options.get("server-java-opts"))) {
      warmUp(server, model, body);
      for (String c : options.get("concurrency").split(",")) {
        int concurrency = Integer.parseInt(c);
        Run run = load(server, model, body, concurrency, Integer.parseInt(options.get("duration")));
        double rps = run.requests / run.seconds;
        report.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %d | %.1f | %.0f |%n",
            concurrency, rps, rps, rps / ceilingRows, run.p50us / 1000.0, run.p99us / 1000.0, run.p999us / 1000.0,
            run.errors, run.avgBatch, run.cpuMicrosPerRequest));
        if (concurrency == 1) {
          report.append(String.format(Locale.ROOT, "%n(concurrency 1: served p50 %.3f ms vs in-process p50 %.3f ms: "
              + "+%.3f ms)%n%n", run.p50us / 1000.0, ceilingP50 / 1000.0, (run.p50us - ceilingP50) / 1000.0));
          report.append("| concurrency | requests/s | rows/s | served/ceiling rows | p50 ms | p99 ms | p99.9 ms | "
              + "errors | avg batch | server CPU us/request |\n|---|---|---|---|---|---|---|---|---|---|\n");
        }
        System.out.println(report.substring(report.lastIndexOf("\n|", report.length() - 2) + 1).trim());
      }
    }
    report.append('\n');
  }

  private void soak() throws Exception {
    int seconds = Integer.parseInt(options.get("soak"));
    Path repo = modelRepository("small");
    Path body = writeBody("small", 8);
    try (Server server = Server.start(repo, options.get("threads"), options.get("server-java-opts"))) {
      warmUp(server, "small", body);
      load(server, "small", body, 128, 20);
      long rssBefore = server.rssKb();
      System.out.println("soak: small model, concurrency 128, " + seconds + " s");
      Run run = load(server, "small", body, 128, seconds);
      long rssAfter = server.rssKb();
      report.append("## Soak: small model, concurrency 128, ").append(seconds).append(" s\n\n");
      report.append(String.format(Locale.ROOT, "%,.0f requests/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms, "
              + "%d errors; RSS %,d KiB after a 20 s warm-up, %,d KiB at the end (%+.1f%%).%n%n",
          run.requests / run.seconds, run.p50us / 1000.0, run.p99us / 1000.0, run.p999us / 1000.0, run.maxUs / 1000.0,
          run.errors, rssBefore, rssAfter, 100.0 * (rssAfter - rssBefore) / rssBefore));
    }
  }

  private static String batchCurve(Map<String, String> ceiling) {
    List<String> parts = new ArrayList<>();
    ceiling.forEach((k, v) -> {
      if (k.startsWith("rows_per_s_b")) {
        parts.add("b" + k.substring("rows_per_s_b".length()) + " " + String.format(Locale.ROOT, "%,d", Long.parseLong(v)));
      }
    });
    return String.join(", ", parts);
  }

  private static Path writeBody(String model, int features) throws IOException {
    Random random = new Random(7);
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < features; i++) {
      data.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
    }
    return Files.writeString(WORK.resolve(model + "-body.json"), "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,"
        + features + "],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}");
  }

  /** 30 s of load first: until the JIT has compiled the request path, it costs several times more CPU. */
  private static void warmUp(Server server, String model, Path body) throws Exception {
    System.out.println("warm-up: 30 s at concurrency 32");
    load(server, model, body, 32, 30);
  }

  private record Run(double requests, double seconds, double p50us, double p99us, double p999us, double maxUs,
                     long errors, double avgBatch, double cpuMicrosPerRequest) {
  }

  private static Run load(Server server, String model, Path body, int concurrency, int seconds) throws Exception {
    double[] batchBefore = server.batchSums(model);
    long cpuBefore = server.cpuTicks();
    ProcessBuilder wrk = new ProcessBuilder("wrk", "-t1", "-c" + concurrency, "-d" + seconds + "s", "--timeout", "10s",
        "-s", ROOT.resolve("bench/v2.lua").toString(),
        "http://127.0.0.1:" + server.port + "/v2/models/" + model + "/infer");
    wrk.environment().put("BODY", body.toString());
    Map<String, String> r = keyValues(exec(wrk, Duration.ofSeconds(seconds + 60)));
    long cpuTicks = server.cpuTicks() - cpuBefore;
    double[] batchAfter = server.batchSums(model);
    double requests = Double.parseDouble(r.get("requests"));
    double avgBatch = (batchAfter[0] - batchBefore[0]) / Math.max(1, batchAfter[1] - batchBefore[1]);
    double cpuMicros = cpuTicks * (1_000_000.0 / 100) / requests;
    return new Run(requests, Double.parseDouble(r.get("duration_us")) / 1e6, Double.parseDouble(r.get("p50_us")),
        Double.parseDouble(r.get("p99_us")), Double.parseDouble(r.get("p999_us")), Double.parseDouble(r.get("max_us")),
        Long.parseLong(r.get("errors")), avgBatch, cpuMicros);
  }

  /** The serving runtime as its own process, as in production. */
  private static final class Server implements AutoCloseable {
    final Process process;
    final int port;
    final HttpClient http = HttpClient.newHttpClient();

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Server start(Path repo, String threads, String javaOpts) throws Exception {
      int port = 18000 + new Random().nextInt(2000);
      List<String> command = new ArrayList<>(List.of("java"));
      if (!javaOpts.isBlank()) {
        command.addAll(List.of(javaOpts.trim().split("\\s+")));
      }
      command.addAll(List.of("-jar", ROOT.resolve("serving-runtime/target/serving-runtime.jar").toString(),
          "--model-repository", repo.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
          "--intra-op-threads", threads));
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(WORK.resolve("server.log").toFile()).start();
      Server server = new Server(process, port);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("server exited: " + Files.readString(WORK.resolve("server.log")));
        }
        try {
          if (server.get("/v2/health/ready").statusCode() == 200) {
            return server;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("server not ready after 60 s");
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** [sum, count] of modelship_batch_size for the model. */
    double[] batchSums(String model) throws Exception {
      String metrics = get("/metrics").body();
      return new double[] {sample(metrics, "modelship_batch_size_sum", model),
          sample(metrics, "modelship_batch_size_count", model)};
    }

    private static double sample(String metrics, String name, String model) {
      Matcher m = Pattern.compile("(?m)^" + name + "\\{model=\"" + model + "\",version=\"1\"} (\\S+)$").matcher(metrics);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    long cpuTicks() throws IOException {
      String[] fields = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).replaceFirst(".*\\) ", "")
          .split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    long rssKb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static Map<String, String> keyValues(String output) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("RESULT ") || line.startsWith("features=")) {
        for (String pair : line.replaceFirst("^RESULT ", "").trim().split(" ")) {
          String[] kv = pair.split("=", 2);
          values.put(kv[0], kv[1]);
        }
      }
    }
    if (values.isEmpty()) {
      throw new IllegalStateException("no results in:\n" + output);
    }
    return values;
  }

  private static String exec(List<String> command, Duration timeout) throws Exception {
    return exec(new ProcessBuilder(command), timeout);
  }

  private static String exec(ProcessBuilder builder, Duration timeout) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", builder.command()) + " failed:\n" + output);
    }
    return output;
  }

  private static String sh(String command) throws Exception {
    return exec(List.of("bash", "-c", command), Duration.ofSeconds(30));
  }
}
