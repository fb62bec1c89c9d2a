package dev.modelship.controller.local;

import dev.modelship.controller.analysis.provider.ScrapeMetricProvider;
import dev.modelship.controller.api.ControllerApi;
import dev.modelship.controller.api.ControllerEndpoint;
import dev.modelship.controller.api.ControllerMetrics;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.GitOpsCheckout;
import dev.modelship.controller.gitops.GitOpsEvent;
import dev.modelship.controller.gitops.GitOpsInitializer;
import dev.modelship.controller.gitops.GitOpsTemplate;
import dev.modelship.controller.gitops.GitRemote;
import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.image.ImageBuilder;
import dev.modelship.controller.image.LocalImageStore;
import dev.modelship.controller.pipeline.JournalEntry;
import dev.modelship.controller.pipeline.PipelineJournal;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.PipelineRunner;
import dev.modelship.controller.pipeline.stages.BuildImageStage;
import dev.modelship.controller.pipeline.stages.Packages;
import dev.modelship.controller.pipeline.stages.ReleaseStage;
import dev.modelship.controller.pipeline.stages.RolloutStage;
import dev.modelship.controller.pipeline.stages.ValidateStage;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryWatcher;
import dev.modelship.controller.rollout.Kustomize;
import dev.modelship.controller.pipeline.stages.PromoteStage;
import dev.modelship.controller.rollout.local.BuiltInAnalysisRuns;
import dev.modelship.controller.rollout.local.Engine;
import dev.modelship.controller.rollout.local.EnvironmentDrivers;
import dev.modelship.controller.rollout.local.GitRollbackWriter;
import dev.modelship.controller.rollout.local.ImageUnpacker;
import dev.modelship.controller.rollout.local.InstanceLauncher;
import dev.modelship.controller.rollout.local.LocalRolloutDriver;
import dev.modelship.controller.rollout.local.PodmanInstanceLauncher;
import dev.modelship.controller.rollout.local.ProcessInstanceLauncher;
import dev.modelship.controller.validate.ValidationGate;
import dev.modelship.controller.validate.ValidationStore;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine, with embedded defaults: the registry watcher hands each published version to
 * the pipeline (validate, build the image into the local image store, release it to the GitOps repository, follow
 * its rollout), and the local engine deploys what git says, canary and analysis included, with the controller's
 * API and UI beside. What {@code modelship up} and {@code modelship demo} run.
 */
public final class LocalController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalController.class);

  /**
   * @param environments the GitOps environments the local engine runs, in promotion order: a version is released
   *     to the first, and promoted to each next one once its rollout in the previous one succeeded
   * @param apiPort the controller API and UI (0: any free port)
   * @param firstAppPort the first app's traffic port in the last environment (production); the next apps get the
   *     following ports, and each earlier environment the same ports plus 100 per step back (staging: +100);
   *     0: any free ports
   * @param baseImage the serving images' base ({@code scratch} runs on the host's JVM; null for the default JRE)
   * @param engine how instances run: processes of this machine's JVM, or podman containers of the whole image
   *     (which needs a base with a Java runtime, not {@code scratch})
   * @param rolloutDeadline how long the pipeline follows a rollout before its run fails
   */
  public record Settings(ModelshipHome home, ModelRegistry registry, GitRemote gitops, List<String> environments,
                         String host, int apiPort, int firstAppPort, String baseImage, Engine engine,
                         GitAuthor author,
                         Duration reconcileInterval, Duration watchInterval, Duration rolloutDeadline,
                         boolean interruptRollouts, String imageRepository, java.util.Set<String> insecureRegistries,
                         Map<String, String> env) {
    public Settings {
      env = Map.copyOf(env);
      insecureRegistries = java.util.Set.copyOf(insecureRegistries);
      environments = List.copyOf(environments);
      if (environments.isEmpty() || new java.util.HashSet<>(environments).size() != environments.size()) {
        throw new IllegalArgumentException("give one or more distinct environments, got " + environments);
      }
      environments.forEach(dev.modelship.controller.gitops.RepoLayout::requireEnvironment);
      java.util.Objects.requireNonNull(engine, "engine");
      if (engine == Engine.PODMAN && "scratch".equals(baseImage)) {
        throw new IllegalArgumentException(PodmanInstanceLauncher.NEEDS_JAVA);
      }
    }

    /** The last environment: production. */
    public String production() {
      return environments.get(environments.size() - 1);
    }
  }

  /** Told of every pipeline journal entry and every rollout status, for progress output. */
  public interface Listener extends PipelineRunner.Listener, LocalRolloutDriver.Listener {
  }

  private final Settings settings;
  private final List<AutoCloseable> started = new ArrayList<>();
  private EnvironmentDrivers drivers;
  private PipelineRunner runner;
  private Javalin api;
  private String url;

  private LocalController(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts everything; on a failure, stops what had started and throws naming the part that failed.
   *
   * @throws Exception naming what could not start (runtime not built, a port in use, a bad MODELSHIP_KUSTOMIZE, ...)
   */
  public static LocalController start(Settings settings, Listener listener) throws Exception {
    LocalController controller = new LocalController(settings);
    try {
      controller.open(listener);
      return controller;
    } catch (Exception | Error e) {
      controller.close();
      throw e;
    }
  }

  private void open(Listener listener) throws Exception {
    Clock clock = Clock.systemUTC();
    ModelshipHome home = settings.home();
    Kustomize kustomize = Kustomize.locate(settings.env());
    ImageBuilder builder = ImageBuilder.fromEnvironment(home, settings.env());
    java.util.function.Consumer<GitOpsEvent> gitEvents = event -> LOG.debug("git: {}", event.describe());
    if (settings.gitops().isLocal()) {
      new GitOpsInitializer(clock, gitEvents).init(settings.gitops(), GitOpsTemplate.bundled(), settings.author());
    }
    ReleaseWriter writer = ReleaseWriter.create(settings.gitops(), gitEvents);
    LocalImageStore images = new LocalImageStore(home.root().resolve("images")).pullingWith(
        new dev.modelship.controller.registry.oci.OciImagePuller(settings.insecureRegistries(),
            new dev.modelship.controller.registry.oci.OciClientContext(clock, settings.env(),
                dev.modelship.controller.registry.oci.OciClientContext.system().dockerConfig())));
    InstanceLauncher launcher = launcher(home, images);
    ControllerMetrics metrics = new ControllerMetrics();
    List<LocalRolloutDriver> perEnvironment = new ArrayList<>();
    List<String> environments = settings.environments();
    for (int i = 0; i < environments.size(); i++) {
      String environment = environments.get(i);
      boolean production = i == environments.size() - 1;
      int firstPort = settings.firstAppPort() == 0 ? 0 : settings.firstAppPort() + 100 * (environments.size() - 1 - i);
      // One scrape provider per environment: the same model version may run in staging and in production, and an
      // analysis must measure only the instances of its own environment.
      AtomicReference<LocalRolloutDriver> self = new AtomicReference<>();
      ScrapeMetricProvider provider = new ScrapeMetricProvider(HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2)).build(), (model, version) -> {
            LocalRolloutDriver current = self.get();
            return current == null ? List.of() : current.metricsTargets(model, version);
          }, Duration.ofMinutes(30));
      LocalRolloutDriver driver = new LocalRolloutDriver(new GitOpsCheckout(settings.gitops(),
          home.state().resolve("gitops-checkout-" + environment)), kustomize, launcher,
          new BuiltInAnalysisRuns(provider, clock), new GitRollbackWriter(writer, environment, settings.author()),
          clock, new LocalRolloutDriver.Settings(environment, settings.host(), firstPort,
              settings.reconcileInterval(), home.state().resolve("rollouts-" + environment + ".json")),
          (app, status) -> {
            if (production) {
              metrics.observe(app, status); // the metric contract has no environment label: production's
            }
            listener.observed(app, status);
          });
      self.set(driver);
      perEnvironment.add(driver);
    }
    drivers = new EnvironmentDrivers(perEnvironment);
    started.add(drivers);

    Packages packages = new Packages(settings.registry(), home.root().resolve("cache").resolve("packages"));
    ValidationStore validations = ValidationStore.in(home);
    List<dev.modelship.controller.pipeline.Stage> stages = new ArrayList<>(List.of(
        new ValidateStage(packages, ValidationGate.onCpu(clock), validations, model -> champion(writer, model)),
        new BuildImageStage(packages, builder, destination(images), settings.baseImage(),
            settings.insecureRegistries()),
        new ReleaseStage(writer, validations, environments.get(0), settings.author())));
    for (int i = 0; i < environments.size(); i++) {
      String environment = environments.get(i);
      if (i > 0) {
        stages.add(new PromoteStage(writer, environments.get(i - 1), environment, settings.author()));
      }
      stages.add(new RolloutStage(app -> drivers.status(app, environment), writer, environment, clock,
          Duration.ofSeconds(1), settings.rolloutDeadline()));
    }
    Optional<HaltPoint> halt = HaltPoint.from(settings.env(), stages.stream().map(
        dev.modelship.controller.pipeline.Stage::name).toList());
    if (halt.isPresent()) {
      LOG.warn("{} is set: this controller halts {} stage {} (a crash test)", HaltPoint.VARIABLE,
          halt.get().after() ? "after" : "before", halt.get().stage());
      stages.replaceAll(halt.get()::wrap);
    }
    runner = new PipelineRunner(PipelineJournal.open(home.root().resolve("pipeline").resolve("journal.jsonl")),
        stages, clock, (run, entry) -> {
          metrics.recorded(run, entry);
          listener.recorded(run, entry);
        }, settings.interruptRollouts() ? stage -> stage.startsWith(RolloutStage.NAME + "-") : stage -> false);
    started.add(runner);

    api = ControllerApi.create(new ControllerApi.Deps(runner, drivers, (model, env) -> history(writer, model, env),
        metrics)).start(settings.host(), settings.apiPort());
    url = "http://" + settings.host() + ":" + api.port();
    started.add(api::stop);
    new ControllerEndpoint(url, ProcessHandle.current().pid()).write(home);
    started.add(() -> ControllerEndpoint.remove(home));

    for (String environment : environments) {
      drivers.driver(environment).reconcileOnce();
    }
    drivers.start();
    runner.start();
    RegistryWatcher watcher = new RegistryWatcher(settings.registry(), RegistryWatcher.stateFile(home,
        settings.registry()), event -> runner.submit(event.ref(), event.digest()),
        new RegistryWatcher.Settings(settings.watchInterval(), RegistryWatcher.StartFrom.EVERYTHING), clock);
    watcher.start();
    started.add(watcher);
    LOG.info("controller at {}; registry {}; GitOps {} ({})", url, settings.registry().location(),
        settings.gitops(), String.join(" -> ", environments));
  }

  private InstanceLauncher launcher(ModelshipHome home, LocalImageStore images) throws Exception {
    Path logs = home.root().resolve("logs");
    Duration readyTimeout = Duration.ofSeconds(120);
    return switch (settings.engine()) {
      case PROCESS -> new ProcessInstanceLauncher(images,
          new ImageUnpacker(home.root().resolve("cache").resolve("unpacked")), logs, readyTimeout);
      case PODMAN -> PodmanInstanceLauncher.create(images, home.root(), logs,
          PodmanInstanceLauncher.Options.fromEnvironment(settings.env()), settings.env(), readyTimeout);
    };
  }

  /** Where the build stage puts images: the local store, or the registry repository of --image-repository. */
  private BuildImageStage.Destination destination(LocalImageStore images) {
    if (settings.imageRepository() == null || settings.imageRepository().isBlank()) {
      return new BuildImageStage.Destination.Local(images);
    }
    if (!(dev.modelship.controller.image.ImageTarget.parse(settings.imageRepository())
        instanceof dev.modelship.controller.image.ImageTarget.Repository repository)) {
      throw new IllegalArgumentException("--image-repository " + settings.imageRepository() + " is not a registry "
          + "repository (HOST[:PORT]/PATH)");
    }
    return new BuildImageStage.Destination.Registry(repository);
  }

  /** The version production serves now, from git: the champion a new version is validated against. */
  private Optional<ModelVersionRef> champion(ReleaseWriter writer, String model) throws Exception {
    List<ReleaseEvent> history = writer.history(model, settings.production());
    if (history.isEmpty() || history.get(0).version() == null || !history.get(0).version().matches("\\d{1,18}")) {
      return Optional.empty();
    }
    return Optional.of(new ModelVersionRef(model, Long.parseLong(history.get(0).version())));
  }

  private static List<Map<String, Object>> history(ReleaseWriter writer, String model, String env) throws Exception {
    List<Map<String, Object>> events = new ArrayList<>();
    for (ReleaseEvent event : writer.history(model, env)) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("sha", event.sha());
      fields.put("action", event.action().name());
      fields.put("version", event.version());
      fields.put("environment", event.environment());
      fields.put("image", event.image());
      fields.put("run", event.run());
      fields.put("author", event.author());
      fields.put("time", event.time().toString());
      fields.put("subject", event.subject());
      fields.put("why", event.why());
      events.add(fields);
    }
    return events;
  }

  /** The controller's API and UI. */
  public String url() {
    return url;
  }

  public EnvironmentDrivers rollouts() {
    return drivers;
  }

  public PipelineRunner pipeline() {
    return runner;
  }

  /** Waits until the run of {@code ref} has finished, or the timeout passes. */
  public Optional<PipelineRun> awaitRun(ModelVersionRef ref, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      Optional<PipelineRun> run = runner.run(PipelineRunner.runId(ref));
      if (run.isPresent() && run.get().finished()) {
        return run;
      }
      Thread.sleep(200);
    }
    return runner.run(PipelineRunner.runId(ref));
  }

  /** Stops the watcher, the pipeline (a running stage resumes next start), the API and every instance. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("while stopping: {}", e.toString());
      }
    }
    started.clear();
  }

  /** One line per journal entry, for the console. */
  public static String describe(PipelineRun run, JournalEntry entry) {
    switch (entry.type()) {
      case CREATED: return run.id() + ": " + entry.message();
      case STAGE_STARTED: return run.id() + ": " + entry.stage() + " started";
      case STAGE_SUCCEEDED: return run.id() + ": " + entry.stage() + " done"
          + (entry.message() == null ? "" : ": " + entry.message());
      case STAGE_FAILED: return run.id() + ": " + entry.message();
      case EVENT: return run.id() + ":   " + entry.message();
      default: return run.id() + ": " + entry.outcome() + " - " + entry.message();
    }
  }
}
