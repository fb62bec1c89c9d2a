package dev.modelship.serving;

import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.ModelLoadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar serving-runtime.jar --model-repository DIR}: every flag also as a {@code MODELSHIP_*} variable. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = ServingMain.Version.class,
    description = "Serve the ONNX models in a model repository over the Open Inference Protocol (V2) and V1.",
    footer = {"", "Model repository layout: DIR/<model>/<version>/model.onnx, optional model.yaml in the model "
        + "and version folders (see serving-runtime/README.md).",
        "SIGTERM drains: readiness turns false, admitted requests complete, then the process exits 0."})
public final class ServingMain implements Callable<Integer> {

  @Option(names = "--model-repository", paramLabel = "DIR", defaultValue = "${env:MODELSHIP_MODEL_REPOSITORY}",
      description = "Model repository folder (env MODELSHIP_MODEL_REPOSITORY).")
  Path modelRepository;

  @Option(names = "--host", defaultValue = "${env:MODELSHIP_HOST:-0.0.0.0}",
      description = "Address to listen on (env MODELSHIP_HOST, default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "${env:MODELSHIP_PORT:-8080}",
      description = "HTTP port, 0 for any free one (env MODELSHIP_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--device", defaultValue = "${env:MODELSHIP_DEVICE:-auto}",
      description = "auto, cpu, cuda or cuda:N (env MODELSHIP_DEVICE, default ${DEFAULT-VALUE}); "
          + "auto uses CUDA when this build has it and falls back to CPU.")
  String device;

  @Option(names = "--intra-op-threads", defaultValue = "${env:MODELSHIP_INTRA_OP_THREADS:-0}",
      description = "ONNX Runtime threads per model run, 0 = one per core (env MODELSHIP_INTRA_OP_THREADS).")
  int intraOpThreads;

  @Option(names = "--max-request-bytes", defaultValue = "${env:MODELSHIP_MAX_REQUEST_BYTES:-16777216}",
      description = "Largest request body; larger ones get 413 (env MODELSHIP_MAX_REQUEST_BYTES, "
          + "default ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(names = "--drain-timeout", defaultValue = "${env:MODELSHIP_DRAIN_TIMEOUT:-30s}",
      description = "How long SIGTERM waits for admitted requests, e.g. 30s, 500ms, 2m "
          + "(env MODELSHIP_DRAIN_TIMEOUT, default ${DEFAULT-VALUE}).")
  String drainTimeout;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ServingMain());
    int exitCode = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(exitCode);
  }

  @Override
  public Integer call() throws Exception {
    ServingServer.Options options = options();
    Duration drain = parseDuration(drainTimeout);
    ServingServer server;
    try {
      server = ServingServer.start(options);
    } catch (ModelLoadException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    server.serveUntilSignalled(drain);
    return 0;
  }

  ServingServer.Options options() {
    if (modelRepository == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "missing --model-repository (or MODELSHIP_MODEL_REPOSITORY)");
    }
    DeviceSpec deviceSpec = DeviceSpec.parse(device).orElseThrow(() -> new CommandLine.ParameterException(
        spec.commandLine(), "--device must be auto, cpu, cuda or cuda:N, got '" + device + "'"));
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
    }
    if (maxRequestBytes < 1024) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-request-bytes must be at least 1024");
    }
    if (intraOpThreads < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--intra-op-threads must be 0 or more");
    }
    int threads = intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    return new ServingServer.Options(modelRepository, host, port, deviceSpec, threads, maxRequestBytes);
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

  Duration parseDuration(String text) {
    Matcher matcher = DURATION.matcher(text.trim());
    if (!matcher.matches()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--drain-timeout must look like 30s, 500ms or 2m, got '" + text + "'");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "s" : matcher.group(2);
    return unit.equals("ms") ? Duration.ofMillis(amount) : unit.equals("m") ? Duration.ofMinutes(amount)
        : Duration.ofSeconds(amount);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {ServingServer.NAME + " " + ServingServer.version()};
    }
  }
}
