package dev.modelship.controller.rollout.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.gitops.GitOpsCheckout;
import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.RepoLayout;
import dev.modelship.controller.rollout.Kustomize;
import dev.modelship.controller.rollout.RolloutDriver;
import dev.modelship.controller.rollout.RolloutParser;
import dev.modelship.controller.rollout.RolloutSpec;
import dev.modelship.controller.rollout.RolloutStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local engine: Argo CD and Argo Rollouts on one machine. It follows a branch of the GitOps repository, renders
 * each app's overlay of one environment with Kustomize, reads the Rollout out of it, and runs it with a
 * {@link LocalRollout} behind a {@link WeightedRouter} per app (the app's traffic endpoint). A commit that cannot be
 * rendered or run leaves the app on its last good spec and shows why; an app removed from git is stopped.
 * Which image each app had as stable is kept in a state file, so after a restart a canary starts its steps again
 * beside the stable it was measured against, instead of becoming stable unexamined.
 */
public final class LocalRolloutDriver implements RolloutDriver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRolloutDriver.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the driver gets what it needs. */
  public record Settings(String environment, String host, int firstPort, Duration interval, Path stateFile) {
    public Settings {
      RepoLayout.requireEnvironment(environment);
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("reconcile interval must be positive, got " + interval);
      }
    }
  }

  /** Told of every app's status after each reconcile (metrics, pipeline stages waiting on a rollout). */
  @FunctionalInterface
  public interface Listener {
    void observed(String app, RolloutStatus status);
  }

  /** What the driver remembers of an app across restarts: the stable image and its labels. */
  record StableRecord(String image, Map<String, String> labels) {
  }

  private final GitOpsCheckout checkout;
  private final Kustomize kustomize;
  private final InstanceLauncher launcher;
  private final AnalysisRunFactory analyses;
  private final RollbackWriter rollback;
  private final Clock clock;
  private final Settings settings;
  private final Listener listener;
  private final Map<String, App> apps = new TreeMap<>();
  private final Map<String, StableRecord> stables;
  private String syncProblem;
  private String commit;
  private Thread loop;
  private volatile boolean closed;

  /** One app: its router, its rollout, the last spec it could run and the problem with the latest one. */
  private static final class App {
    final WeightedRouter router;
    final LocalRollout rollout;
    RolloutSpec spec;
    String problem;
    RolloutStatus status;
    String failedImage;
    int failures;
    java.time.Instant retryAt = java.time.Instant.MIN;
    String failure;

    App(WeightedRouter router, LocalRollout rollout) {
      this.router = router;
      this.rollout = rollout;
    }
  }

  public LocalRolloutDriver(GitOpsCheckout checkout, Kustomize kustomize, InstanceLauncher launcher,
                            AnalysisRunFactory analyses, RollbackWriter rollback, Clock clock, Settings settings,
                            Listener listener) throws IOException {
    this.checkout = checkout;
    this.kustomize = kustomize;
    this.launcher = launcher;
    this.analyses = analyses;
    this.rollback = rollback;
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
    this.stables = loadStables(settings.stateFile());
  }

  /** Reconciles every {@code interval} on a background thread until closed. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = new Thread(() -> {
      while (!closed) {
        try {
          reconcileOnce();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.error("reconcile failed", e);
        }
        try {
          Thread.sleep(settings.interval().toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "modelship-rollouts");
    loop.setDaemon(true);
    loop.start();
  }

  /** Fetches git, renders what changed, and moves every app towards its spec; returns the statuses. */
  public List<RolloutStatus> reconcileOnce() throws InterruptedException {
    Map<String, RolloutSpec> desired = null;
    Map<String, String> renderProblems = new TreeMap<>();
    try {
      Optional<GitOpsCheckout.Checkout> fresh = checkout.refresh();
      syncProblem = null;
      if (fresh.isPresent()) {
        desired = render(fresh.get().root(), renderProblems);
        commit = fresh.get().commit();
        LOG.info("GitOps repository at {}: {} app(s) in {}", commit.substring(0, 12), desired.size(),
            settings.environment());
      }
    } catch (GitOpsException e) {
      syncProblem = "cannot sync the GitOps repository (keeping the last good state): " + e.getMessage();
      LOG.warn(syncProblem);
    }
    List<App> toReconcile;
    synchronized (this) {
      if (desired != null) {
        applyDesired(desired, renderProblems);
      }
      toReconcile = new ArrayList<>(apps.values());
    }
    for (App app : toReconcile) {
      reconcile(app);
    }
    return statuses();
  }

  /** Renders the environment's overlay of every app; a failure is kept per app. */
  private Map<String, RolloutSpec> render(Path root, Map<String, String> problems) throws InterruptedException {
    Map<String, RolloutSpec> specs = new TreeMap<>();
    Path appsFolder = root.resolve("apps");
    if (!Files.isDirectory(appsFolder)) {
      return specs;
    }
    List<Path> appFolders;
    try (Stream<Path> list = Files.list(appsFolder)) {
      appFolders = list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      syncProblem = "cannot list " + appsFolder + ": " + e.getMessage();
      return specs;
    }
    for (Path folder : appFolders) {
      String app = folder.getFileName().toString();
      Path overlay = root.resolve(RepoLayout.overlayFolder(app, settings.environment()));
      if (!Files.isRegularFile(overlay.resolve("kustomization.yaml"))) {
        continue; // not deployed to this environment
      }
      try {
        List<RolloutSpec> rollouts = RolloutParser.parse(kustomize.render(root, overlay));
        if (rollouts.size() != 1) {
          throw new IOException(RepoLayout.overlayFolder(app, settings.environment()) + " renders "
              + rollouts.size() + " Rollouts; the local engine runs exactly one per app");
        }
        RolloutSpec spec = rollouts.get(0);
        if (!spec.name().equals(app)) {
          throw new IOException("the Rollout of app " + app + " is named " + spec.name() + "; name it " + app);
        }
        specs.put(app, spec);
      } catch (IOException e) {
        problems.put(app, "InvalidSpec at " + commit(root) + ": " + e.getMessage());
        LOG.warn("{}: {}", app, problems.get(app));
      }
    }
    return specs;
  }

  private static String commit(Path root) {
    String name = root.getFileName().toString();
    return name.length() > 12 ? name.substring(0, 12) : name;
  }

  private void applyDesired(Map<String, RolloutSpec> desired, Map<String, String> problems) {
    unstarted.keySet().retainAll(problems.keySet()); // an app that never started and left git is no longer shown
    for (String gone : new ArrayList<>(apps.keySet())) {
      if (!desired.containsKey(gone) && !problems.containsKey(gone)) {
        App app = apps.remove(gone);
        LOG.info("{}: no longer in the {} environment of the GitOps repository; stopping it", gone,
            settings.environment());
        stop(gone, app);
        forgetStable(gone);
      }
    }
    for (Map.Entry<String, String> problem : problems.entrySet()) {
      App app = apps.get(problem.getKey());
      if (app != null) {
        app.problem = problem.getValue();
      } else {
        LOG.warn("{}: not started: {}", problem.getKey(), problem.getValue());
        unstarted.put(problem.getKey(), problem.getValue());
      }
    }
    for (Map.Entry<String, RolloutSpec> entry : desired.entrySet()) {
      App app = apps.get(entry.getKey());
      if (app == null) {
        app = open(entry.getKey());
        apps.put(entry.getKey(), app);
      }
      unstarted.remove(entry.getKey());
      app.spec = entry.getValue();
      app.problem = null;
    }
  }

  /** Apps whose first spec could not be rendered: shown, with why, until a good commit arrives. */
  private final Map<String, String> unstarted = new TreeMap<>();

  private App open(String name) {
    int port = settings.firstPort();
    if (port != 0) {
      // The lowest port from firstPort that no running app holds: apps removed from git free theirs.
      java.util.Set<Integer> taken = new java.util.HashSet<>();
      apps.values().forEach(app -> taken.add(app.router.port()));
      while (taken.contains(port)) {
        port++;
      }
    }
    WeightedRouter router = new WeightedRouter(name, TrafficSplit.stableOnly(List.of()), settings.host(), port);
    return new App(router, new LocalRollout(name, launcher, router, analyses, rollback, clock));
  }

  private void reconcile(App app) throws InterruptedException {
    String name = app.rollout.status().name();
    RolloutStatus status;
    if (app.spec.image().equals(app.failedImage) && clock.instant().isBefore(app.retryAt)) {
      status = app.rollout.status().withProblem(app.failure);
    } else {
      try {
        adoptRecordedStable(app);
        status = app.rollout.reconcile(app.spec);
        recordStable(name, app);
        app.failedImage = null;
        app.failures = 0;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // Back off like a crash-looping pod: 2 s, 4 s, ... up to 5 min between attempts at the same image.
        app.failures = app.spec.image().equals(app.failedImage) ? app.failures + 1 : 1;
        app.failedImage = app.spec.image();
        Duration wait = Duration.ofSeconds(Math.min(300, 1L << Math.min(app.failures, 9)));
        app.retryAt = clock.instant().plus(wait);
        app.failure = "cannot run " + app.spec.image() + " (attempt " + app.failures + ", next in "
            + wait.toSeconds() + " s): " + e.getMessage();
        LOG.warn("{}: {}", name, app.failure);
        status = app.rollout.status().withProblem(app.failure);
      }
    }
    if (app.problem != null) {
      status = status.withProblem(app.problem);
    }
    if (syncProblem != null) {
      status = status.withProblem(syncProblem);
    }
    status = status.withEndpoint("http://" + settings.host() + ":" + app.router.port())
        .withEnvironment(settings.environment());
    synchronized (this) {
      app.status = status;
    }
    listener.observed(name, status);
  }

  /**
   * After a restart, an app whose recorded stable differs from git's image starts from that stable, so the new
   * image goes through its canary steps again.
   */
  private void adoptRecordedStable(App app) throws Exception {
    String name = app.spec.name();
    StableRecord recorded = stables.get(name);
    if (app.rollout.status().stableImage() != null || recorded == null || recorded.image().equals(app.spec.image())) {
      return;
    }
    RolloutSpec previous = new RolloutSpec(name, recorded.image(), app.spec.replicas(), recorded.labels(),
        app.spec.steps(), app.spec.background(), app.spec.backgroundStartingStep(), app.spec.abortScaleDownDelay());
    LOG.info("{}: starting the recorded stable {} first; {} runs its canary steps again", name, recorded.image(),
        app.spec.image());
    app.rollout.reconcile(previous);
  }

  private void recordStable(String name, App app) {
    RolloutStatus status = app.rollout.status();
    if (status.stableImage() == null) {
      return;
    }
    StableRecord current = stables.get(name);
    if (current != null && current.image().equals(status.stableImage())) {
      return;
    }
    stables.put(name, new StableRecord(status.stableImage(), app.rollout.stableLabels()));
    try {
      saveStables();
    } catch (IOException e) {
      LOG.warn("cannot record the stable image of {} in {}: {}", name, settings.stateFile(), e.getMessage());
    }
  }

  /** An app removed from git has no stable any more: added back, it starts from git's image, as a new Rollout would. */
  private void forgetStable(String name) {
    if (stables.remove(name) == null) {
      return;
    }
    try {
      saveStables();
    } catch (IOException e) {
      LOG.warn("cannot remove the stable image of {} from {}: {}", name, settings.stateFile(), e.getMessage());
    }
  }

  private static Map<String, StableRecord> loadStables(Path file) throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, StableRecord>>() { }));
    } catch (IOException e) {
      throw new IOException("cannot read the rollout state " + file + " (delete it to start every app from git's "
          + "image): " + e.getMessage(), e);
    }
  }

  private void saveStables() throws IOException {
    Path file = settings.stateFile();
    if (file == null) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), stables);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every app's status, by name; an app whose first spec cannot be rendered shows as Degraded with why. */
  @Override
  public synchronized List<RolloutStatus> statuses() {
    Map<String, RolloutStatus> byName = new TreeMap<>();
    for (Map.Entry<String, App> app : apps.entrySet()) {
      if (app.getValue().status != null) {
        byName.put(app.getKey(), app.getValue().status);
      }
    }
    unstarted.forEach((name, problem) -> byName.putIfAbsent(name, new RolloutStatus(name, RolloutStatus.DEGRADED, 0,
        0, null, null, 0, List.of(), false, problem, Optional.empty(), Optional.empty(), clock.instant(), null,
        settings.environment())));
    return new ArrayList<>(byName.values());
  }

  /** Apps in git that could not be started, with why. */
  public synchronized Map<String, String> problems() {
    Map<String, String> problems = new LinkedHashMap<>(unstarted);
    if (syncProblem != null) {
      problems.put("gitops", syncProblem);
    }
    return problems;
  }

  /** The traffic endpoint of an app, once it runs. */
  public synchronized Optional<URI> endpoint(String app) {
    App running = apps.get(app);
    return running == null ? Optional.empty()
        : Optional.of(URI.create("http://" + settings.host() + ":" + running.router.port()));
  }

  /**
   * The {@code /metrics} URLs of every instance serving {@code model:version}, for the scrape provider. An app is
   * named after its model, so only that app's rollout is asked: the one whose analysis is asking, which already
   * holds its own lock (asking other apps' rollouts could deadlock with a promote running their analysis).
   */
  public List<URI> metricsTargets(String model, String version) {
    App app;
    synchronized (this) {
      app = apps.get(model);
    }
    return app == null ? List.of() : app.rollout.metricsTargets(model, version);
  }

  @Override
  public RolloutStatus promote(String name, String environment, boolean full) throws Exception {
    App app = require(name, environment);
    RolloutStatus status = app.rollout.promote(full, app.spec);
    recordStable(name, app);
    return status.withEndpoint("http://" + settings.host() + ":" + app.router.port())
        .withEnvironment(settings.environment());
  }

  @Override
  public RolloutStatus abort(String name, String environment, String reason) throws Exception {
    App app = require(name, environment);
    return app.rollout.abort(reason).withEndpoint("http://" + settings.host() + ":" + app.router.port())
        .withEnvironment(settings.environment());
  }

  /** The environment this driver runs. */
  public String environment() {
    return settings.environment();
  }

  private synchronized App require(String name, String environment) {
    if (environment != null && !environment.equals(settings.environment())) {
      throw new IllegalArgumentException("this engine runs environment " + settings.environment() + ", not "
          + environment);
    }
    App app = apps.get(name);
    if (app == null) {
      throw new IllegalArgumentException("no rollout '" + name + "' (running: " + apps.keySet() + ")");
    }
    return app;
  }

  private static void stop(String name, App app) {
    try {
      app.rollout.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      app.router.close();
    }
    LOG.info("{}: stopped", name);
  }

  @Override
  public void close() {
    closed = true;
    Thread running;
    synchronized (this) {
      running = loop;
    }
    if (running != null) {
      running.interrupt();
      try {
        running.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      apps.forEach(LocalRolloutDriver::stop);
      apps.clear();
    }
    checkout.close();
  }
}
