package dev.modelship.controller.cli;

import dev.modelship.controller.api.ControllerApi;
import dev.modelship.controller.local.LocalController;
import dev.modelship.controller.pipeline.JournalEntry;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.rollout.RolloutStatus;
import dev.modelship.controller.rollout.local.Engine;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelship up}: the whole platform on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Run Modelship on this machine: watch the model registry, validate each new version, build its "
        + "serving image into the local image store, release it to the GitOps repository, and run what git says "
        + "with the local rollout engine (canary steps, analysis, promote, abort and rollback commits). Each app "
        + "takes traffic on its own port; the controller API and UI are on --port. Stops on Ctrl-C or SIGTERM, "
        + "draining every instance; a run in progress resumes on the next start.",
        "Renders the GitOps overlays with kubectl kustomize (or kustomize build) when on PATH, else with its "
            + "own reader of the same files (MODELSHIP_KUSTOMIZE=kubectl|builtin forces one). Needs the serving "
            + "runtime built (./modelship builds it)."})
public final class UpCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Option(names = "--registry", paramLabel = "URL", description = "The model registry to watch (default: "
      + "$MODELSHIP_REGISTRY, else the registry in the Modelship home).")
  String registry;

  @Mixin
  GitOpsOptions gitops;

  @Option(names = "--environments", defaultValue = "staging,production", split = ",", paramLabel = "ENV[,ENV...]",
      description = "The GitOps environments the local engine runs, in promotion order: a new version is released to "
          + "the first and promoted to each next one after its rollout succeeded there; give one (e.g. production) to "
          + "release there directly (default ${DEFAULT-VALUE}).")
  List<String> environments;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default "
      + "${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7070", description = "Controller API and UI port, 0 for any free one "
      + "(default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--app-port", defaultValue = "8080", description = "The first app's traffic port in the last "
      + "environment (production); its next apps get the following ports, and each earlier environment the same "
      + "ports plus 100 (staging: 8180, ...); 0 for any free ones (default ${DEFAULT-VALUE}).")
  int appPort;

  @Option(names = "--base", defaultValue = "scratch", description = "Base image of the serving images. The default, "
      + "scratch, holds only the runtime and the model, and the process engine runs it on this machine's JVM; give a "
      + "JRE image (e.g. eclipse-temurin:17-jre) for images a cluster will run, and for --engine podman.")
  String base;

  @Option(names = "--engine", defaultValue = "process", paramLabel = "process|podman", converter = EngineConverter.class,
      description = {"How the local engine runs each instance of a serving image.",
          "process (default): a process of this machine's JVM running the image's runtime and model, unpacked from "
              + "the image; works with any --base, scratch included.",
          "podman: a podman container of the whole image, base and entrypoint included, as a cluster runs it; needs "
              + "podman and runc (apt-get install podman runc) and a --base with a Java runtime. Runtime and limits: "
              + "$MODELSHIP_PODMAN_RUNTIME (default /usr/sbin/runc, empty for podman's default) and "
              + "$MODELSHIP_PODMAN_ULIMITS (default nofile=1024:1024,nproc=1000:1000)."})
  Engine engine;

  @Option(names = "--interrupt-canary", description = "Let a newer version of a model replace its canary in "
      + "progress (as Argo Rollouts does when the image changes mid-rollout): the newer version's run starts as soon "
      + "as the older one is in its rollout, and the older run ends SUPERSEDED when the newer one is released over "
      + "it. Default: a running canary finishes first and the newer version waits.")
  boolean interruptCanary;

  @Option(names = "--image-repository", paramLabel = "HOST[:PORT]/PATH", description = "Push the serving images "
      + "to this registry repository (tag <model>-<version>) instead of the local image store; the local engine "
      + "pulls them from there by digest, as a cluster would. Credentials: $MODELSHIP_REGISTRY_USERNAME/_PASSWORD "
      + "or the Docker config; plain HTTP with --insecure-registry.")
  String imageRepository;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]", description = "Allow plain HTTP or an "
      + "unverified certificate for this registry when building images, e.g. a local registry holding the --base "
      + "image (repeatable; also $" + BuildImageCommand.INSECURE_ENV + ", comma-separated).")
  List<String> insecureRegistries = new java.util.ArrayList<>();

  @Option(names = "--rollout-deadline", defaultValue = "PT2H", description = "How long a pipeline run follows its "
      + "rollout (pauses for a human included) before it fails (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration rolloutDeadline;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final RegistryAccess access;
  private final GitOpsAccess git;

  public UpCommand() {
    this(RegistryAccess.fromEnvironment(), GitOpsAccess.fromEnvironment());
  }

  UpCommand(RegistryAccess access, GitOpsAccess git) {
    this.access = access;
    this.git = git;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (gitops.run != null) {
      err.println("error: --run does not apply to up: each pipeline run records its own id in its commits");
      return CommandLine.ExitCode.USAGE;
    }
    LocalController controller;
    try {
      LocalController.Settings settings = new LocalController.Settings(access.home(), access.open(registry),
          git.remote(gitops), environments, host, port, appPort, base, engine,
          git.author(gitops), Duration.ofSeconds(1), Duration.ofSeconds(2), rolloutDeadline, interruptCanary, imageRepository,
          BuildImageCommand.insecureRegistries(insecureRegistries, System.getenv()), System.getenv());
      controller = LocalController.start(settings, new ConsoleProgress(out));
    } catch (RegistryException | IllegalArgumentException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("error: cannot start: " + e.getMessage());
      return 2;
    }
    out.println("Modelship is up. UI and API: " + controller.url() + "  (modelship status | promote MODEL | abort "
        + "MODEL)");
    out.println("registry " + access.location(registry) + ", GitOps " + git.remote(gitops) + " ("
        + String.join(" -> ", environments) + "); instances run as " + (engine == Engine.PODMAN ? "podman containers"
        : "processes") + "; app ports: " + ports() + ". Ctrl-C stops.");
    out.flush();
    dev.modelship.controller.local.Signals.awaitTermination(() -> {
      out.println("stopping: draining instances...");
      out.flush();
      controller.close();
      out.println("stopped");
      out.flush();
    });
    return 0;
  }

  /** {@code process} or {@code podman}; anything else names the choices. */
  static final class EngineConverter implements CommandLine.ITypeConverter<Engine> {
    @Override
    public Engine convert(String value) {
      for (Engine engine : Engine.values()) {
        if (engine.name().equalsIgnoreCase(value)) {
          return engine;
        }
      }
      throw new CommandLine.TypeConversionException("'" + value + "' is no engine: give process or podman");
    }
  }

  private String ports() {
    if (appPort == 0) {
      return "any free ones (see modelship status)";
    }
    List<String> ports = new java.util.ArrayList<>();
    for (int i = 0; i < environments.size(); i++) {
      ports.add(environments.get(i) + " from " + (appPort + 100 * (environments.size() - 1 - i)));
    }
    return String.join(", ", ports);
  }

  /** One timestamped line per pipeline step and per change of a rollout's phase, step or message. */
  static final class ConsoleProgress implements LocalController.Listener {
    private final PrintWriter out;
    private final java.util.function.Supplier<String> stamp;
    private final Map<String, String> lastRollout = new ConcurrentHashMap<>();
    private final Map<String, Integer> analysisTaken = new ConcurrentHashMap<>();

    ConsoleProgress(PrintWriter out) {
      this(out, () -> LocalTime.now(ZoneId.systemDefault()).format(TIME));
    }

    ConsoleProgress(PrintWriter out, java.util.function.Supplier<String> stamp) {
      this.out = out;
      this.stamp = stamp;
    }

    @Override
    public void recorded(PipelineRun run, JournalEntry entry) {
      line(LocalController.describe(run, entry));
    }

    @Override
    public void observed(String app, RolloutStatus status) {
      String text = app + (status.environment() == null ? "" : "[" + status.environment() + "]") + " " + status.phase() + " step " + status.currentStepIndex() + "/" + status.stepCount()
          + (status.canaryImage() == null ? "" : " canary " + status.canaryWeight() + "%") + ": " + status.message();
      if (!text.equals(lastRollout.put(app + "@" + status.environment(), text))) {
        line(text);
      }
      String where = app + (status.environment() == null ? "" : "[" + status.environment() + "]");
      status.stepAnalysis().ifPresent(analysis -> analysisLine(where, "step analysis", analysis));
      status.backgroundAnalysis().ifPresent(analysis -> analysisLine(where, "background analysis", analysis));
    }

    /** A line each time an analysis has taken a new measurement: the latest value of each metric, and the counts. */
    private void analysisLine(String where, String kind, dev.modelship.controller.analysis.AnalysisStatus analysis) {
      int taken = analysis.metrics().stream().mapToInt(dev.modelship.controller.analysis.MetricAssessment::taken)
          .sum();
      String key = where + "/" + kind + "/" + analysis.id();
      Integer before = analysisTaken.put(key, taken);
      if (taken == 0 || (before != null && before == taken)) {
        return;
      }
      line(where + " " + kind + ":" + AnalysisText.metrics(ControllerApi.toTree(analysis)) + " -> "
          + analysis.phase());
    }

    synchronized void line(String text) {
      out.println(stamp.get() + " " + text);
      out.flush();
    }
  }
}
