package dev.modelship.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.examples.DefectInjector;
import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.GitCredentials;
import dev.modelship.controller.gitops.GitRemote;
import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.local.DemoTraffic;
import dev.modelship.controller.local.LocalController;
import dev.modelship.controller.rollout.local.Engine;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.stages.BuildImageStage;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.rollout.RolloutStatus;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code modelship demo}: the whole platform on this machine, one story. Starts the controller (registry watcher,
 * pipeline, local rollout engine, API and UI) on a fresh GitOps repository, sends steady live traffic, and pushes
 * four versions of the click model: v1 (first release, straight to stable), v2 (a better model: canary, analysis,
 * promoted), v3 (v2 with a deliberately injected defect that only live traffic hits: the canary analysis aborts
 * it, traffic goes back to v2 and a rollback commit lands in git) and v4 (trained on shuffled labels: rejected by
 * the validation gate, never built). Exit 0 only when every version ends as expected.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole platform on this machine and push four model versions through it: a first "
        + "release, a canary that is promoted, a canary whose live error rate aborts it (with a rollback commit in "
        + "git), and a version the validation gate rejects. Prints a timeline and a summary; exit 0 only when every "
        + "version ended as expected. Takes about two minutes; then keeps serving until Ctrl-C (--no-wait to stop)."})
public final class DemoCommand implements Callable<Integer> {
  /** Held so the level set on it stays (java.util.logging keeps loggers only weakly). */
  private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");
  static final String MODEL = "clicks";
  private static final String MARKER = ".modelship-demo";
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
  private static final List<String> ENVIRONMENTS = List.of("staging", "production");
  private static final String STAGING = "staging";
  private static final String PRODUCTION = "production";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--dir", defaultValue = ".modelship/demo", description = "Working folder, emptied at the start "
      + "(only if an earlier demo made it) (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--port", defaultValue = "7070", description = "Controller API and UI port, 0 for any free one "
      + "(default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--app-port", defaultValue = "8080", description = "The clicks app's traffic port, 0 for any free "
      + "one (default ${DEFAULT-VALUE}).")
  int appPort;

  @Option(names = "--rps", defaultValue = "40", description = "Live traffic, requests per second (default "
      + "${DEFAULT-VALUE}).")
  int requestsPerSecond;

  @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
  Path summaryJson;

  @Option(names = "--no-wait", description = "Stop everything after the story instead of serving until Ctrl-C.")
  boolean noWait;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** What each version is, and how its run must end. */
  private record Step(long version, String what, PipelineRun.Outcome expected) {
  }

  private static final List<Step> STORY = List.of(
      new Step(1, "first model: released straight to stable", PipelineRun.Outcome.SUCCEEDED),
      new Step(2, "retrained on more data: canary in staging, then in production, promoted in both",
          PipelineRun.Outcome.SUCCEEDED),
      new Step(3, "v2 with an injected defect (NaN for free items, price 0, which the holdout lacks): staging canary "
          + "aborted, never reaches production", PipelineRun.Outcome.ABORTED),
      new Step(4, "trained on shuffled labels: rejected by the validation gate", PipelineRun.Outcome.REJECTED));

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535 || appPort < 0 || appPort > 65535) {
      err.println("error: ports must be 0-65535");
      return CommandLine.ExitCode.USAGE;
    }
    try {
      prepare(dir);
    } catch (IOException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    // The terminal shows the story's timeline; the components' own logs go to a file beside it.
    Path controllerLog = dir.toAbsolutePath().resolve("controller.log");
    PrintStream originalErr = System.err;
    try (PrintStream logFile = new PrintStream(new FileOutputStream(controllerLog.toFile(), true), true,
        StandardCharsets.UTF_8)) {
      System.setErr(logFile); // slf4j-simple writes to whatever System.err is at the time
      return play(out, err, controllerLog);
    } finally {
      System.setErr(originalErr);
    }
  }

  private int play(PrintWriter out, PrintWriter err, Path controllerLog) throws Exception {
    TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING); // its training chatter, on java.util.logging
    long started = System.nanoTime();
    UpCommand.ConsoleProgress console = new UpCommand.ConsoleProgress(out, () -> String.format(Locale.ROOT,
        "[%5.1fs]", (System.nanoTime() - started) / 1e9));
    SplitMeter meter = new SplitMeter();
    LocalController.Listener listener = new LocalController.Listener() {
      @Override
      public void recorded(PipelineRun run, dev.modelship.controller.pipeline.JournalEntry entry) {
        console.recorded(run, entry);
      }

      @Override
      public void observed(String app, RolloutStatus status) {
        meter.observed(status);
        console.observed(app, status);
      }
    };
    ModelshipHome home = new ModelshipHome(dir.toAbsolutePath().resolve("home"));
    ModelRegistry registry = new FileSystemModelRegistry(home.registry());
    GitRemote gitops = GitRemote.of(home.root().resolve("gitops.git").toString(), "main", GitCredentials.none());
    GitAuthor author = new GitAuthor("Modelship demo", "demo@modelship.local");
    LocalController.Settings settings = new LocalController.Settings(home, registry, gitops, ENVIRONMENTS,
        "127.0.0.1", port, appPort, "scratch", Engine.PROCESS, author, Duration.ofMillis(500), Duration.ofMillis(500),
        RUN_TIMEOUT, false, null, BuildImageCommand.insecureRegistries(List.of(), System.getenv()), System.getenv());
    out.println("Modelship demo in " + dir.toAbsolutePath() + ": the controller, the local rollout engine and "
        + requestsPerSecond + " requests/s of live traffic; four versions of the '" + MODEL + "' model.");
    out.flush();
    LocalController controller;
    try {
      controller = LocalController.start(settings, listener);
    } catch (Exception e) {
      err.println("error: cannot start the controller: " + e.getMessage());
      return 2;
    }
    DemoTraffic traffic = null;
    DemoTraffic stagingTraffic = null;
    try {
      console.line("controller up: UI and API " + controller.url() + "; its log: " + controllerLog);
      commitDemoCanary(gitops, dir.resolve("work"), author);
      console.line("committed the demo's canary steps to the GitOps repository (rollouts/canary: 20% -> 10 s "
          + "pause -> analysis -> 50% -> 10 s pause -> 100%; analysis every 5 s)");
      Path data = Files.createDirectories(dir.resolve("data"));
      Path trainingCsv = data.resolve("clicks.csv");
      ClickData.writeCsv(trainingCsv, ClickData.generate(42, 5000, 0));
      Path moreCsv = data.resolve("clicks-more.csv");
      ClickData.writeCsv(moreCsv, ClickData.generate(43, 12000, 0));
      Path holdoutCsv = data.resolve("holdout.csv");
      ClickData.writeCsv(holdoutCsv, ClickData.holdout(42, 2000));

      Map<Long, PipelineRun> runs = new LinkedHashMap<>();
      ModelPackage v1 = train(trainingCsv, 42, dir.resolve("packages/v1"), Optional.empty());
      runs.put(1L, push(controller, registry, v1, STORY.get(0), console));
      List<String> features = ModelManifest.read(v1.manifestFile()).features();
      traffic = new DemoTraffic(() -> controller.rollouts().driver(PRODUCTION).endpoint(MODEL).orElse(null), MODEL,
          features, requestsPerSecond, 10);
      stagingTraffic = new DemoTraffic(() -> controller.rollouts().driver(STAGING).endpoint(MODEL).orElse(null),
          MODEL, features, Math.max(4, requestsPerSecond / 2), 10);
      traffic.start();
      stagingTraffic.start();
      console.line("live traffic started: " + requestsPerSecond + " requests/s to production "
          + controller.rollouts().driver(PRODUCTION).endpoint(MODEL).map(URI::toString).orElse("(not running)")
          + ", " + Math.max(4, requestsPerSecond / 2) + " to staging "
          + controller.rollouts().driver(STAGING).endpoint(MODEL).map(URI::toString).orElse("(not running)")
          + "; one request in 10 is for a free item (price 0)");
      Thread.sleep(5000);

      ModelPackage v2 = train(moreCsv, 7, dir.resolve("packages/v2"), Optional.empty());
      runs.put(2L, push(controller, registry, v2, STORY.get(1), console));

      Path v3Folder = dir.resolve("packages/v3");
      copyFolder(v2.directory(), v3Folder);
      DefectInjector.nanWhenZero(v2.modelFile(), v3Folder.resolve(ModelPackage.MODEL_FILE),
          features.indexOf("item_price"));
      runs.put(3L, push(controller, registry, ModelPackage.fromDirectory(v3Folder), STORY.get(2), console));

      Path shuffled = data.resolve("clicks-shuffled.csv");
      shuffleLabels(trainingCsv, shuffled);
      ModelPackage v4 = train(shuffled, 42, dir.resolve("packages/v4"), Optional.of(holdoutCsv));
      runs.put(4L, push(controller, registry, v4, STORY.get(3), console));
      Thread.sleep(3000);
      traffic.close();
      stagingTraffic.close();

      Summary summary = summarize(controller, gitops, runs, Map.of(PRODUCTION, traffic, STAGING, stagingTraffic),
          meter);
      print(out, summary);
      if (summaryJson != null) {
        Files.writeString(summaryJson, JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
      }
      if (!noWait) {
        out.println();
        out.println("Still running: UI " + controller.url() + ", production traffic "
            + controller.rollouts().driver(PRODUCTION).endpoint(MODEL).map(URI::toString).orElse("-")
            + ", staging " + controller.rollouts().driver(STAGING).endpoint(MODEL).map(URI::toString).orElse("-")
            + ". Try: MODELSHIP_HOME=" + home.root() + " ./modelship status. Ctrl-C stops.");
        out.flush();
        awaitCtrlC(controller);
      }
      return summary.asExpected() ? 0 : 1;
    } catch (Exception e) {
      err.println("error: the demo stopped: " + e.getMessage());
      return 2;
    } finally {
      if (traffic != null) {
        traffic.close();
      }
      if (stagingTraffic != null) {
        stagingTraffic.close();
      }
      if (noWait) {
        controller.close();
      }
    }
  }

  private static void prepare(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(dir)) {
        empty = entries.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new IllegalStateException(dir + " is not empty and was not made by `modelship demo`; give another --dir");
      }
      dev.modelship.controller.registry.DurableFiles.deleteTree(dir);
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by modelship demo; emptied by the next demo\n");
  }

  private static ModelPackage train(Path csv, long seed, Path out, Optional<Path> holdout) throws Exception {
    TrainingOptions options = TrainingOptions.defaults().withSeed(seed).withOutput(out);
    if (holdout.isPresent()) {
      options = options.withHoldoutFile(holdout.get());
    }
    return new Trainer(message -> { }).train(csv, ClickData.LABEL, MODEL, options).pkg();
  }

  private static PipelineRun push(LocalController controller, ModelRegistry registry, ModelPackage pkg, Step step,
                                  UpCommand.ConsoleProgress progress) throws Exception {
    ModelVersionRef ref = ModelRegistries.publishAsNextVersion(registry, MODEL, pkg).version().ref();
    if (ref.version() != step.version()) {
      throw new IllegalStateException("expected to publish " + MODEL + ":" + step.version() + ", got " + ref);
    }
    progress.line("pushed " + ref + " - " + step.what());
    Optional<PipelineRun> run = controller.awaitRun(ref, RUN_TIMEOUT);
    if (run.isEmpty() || !run.get().finished()) {
      throw new IllegalStateException("the run of " + ref + " did not finish within " + RUN_TIMEOUT.toMinutes()
          + " min" + run.map(r -> " (at " + r.stages().stream().reduce((a, b) -> b).map(
              PipelineRun.StageRecord::stage).orElse("start") + ")").orElse(" (never picked up)"));
    }
    return run.get();
  }

  /** Commits the demo's short canary over the repository's default, as a user would: clone, edit, push. */
  private static void commitDemoCanary(GitRemote gitops, Path work, GitAuthor author) throws Exception {
    String strategy;
    try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/modelship/controller/demo/canary-strategy.yaml")) {
      if (in == null) {
        throw new IllegalStateException("missing resource dev/modelship/controller/demo/canary-strategy.yaml");
      }
      strategy = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Git git = Git.cloneRepository().setURI(gitops.url()).setBranch(gitops.branch())
        .setDirectory(work.toFile()).call()) {
      Path file = work.resolve("rollouts/canary/canary-strategy.yaml");
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("the GitOps repository has no rollouts/canary/canary-strategy.yaml");
      }
      Files.writeString(file, strategy, StandardCharsets.UTF_8);
      git.add().addFilepattern("rollouts/canary/canary-strategy.yaml").call();
      git.commit().setAuthor(author.name(), author.email()).setCommitter(author.name(), author.email())
          .setMessage("demo: canary steps in seconds\n\nSo the whole demo fits in a few minutes; the steps keep the "
              + "shape of the default (weight, pause, analysis, weight, pause, full).\n").call();
      git.push().call();
    }
  }

  private static void shuffleLabels(Path source, Path target) throws IOException {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    List<String> labels = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      labels.add(line.substring(line.lastIndexOf(',') + 1));
    }
    Collections.shuffle(labels, new Random(4));
    List<String> shuffled = new ArrayList<>();
    shuffled.add(lines.get(0));
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      shuffled.add(line.substring(0, line.lastIndexOf(',') + 1) + labels.get(i - 1));
    }
    Files.write(target, shuffled, StandardCharsets.UTF_8);
  }

  /** The demo's result: each version's run and traffic, the final stables, the newest git events, the split. */
  record Summary(List<VersionResult> versions, Map<String, String> stableVersion, Map<String, String> newestGitEvent,
                 List<SplitMeter.Measured> trafficSplit, long requestsSent, long requestsFailed,
                 long requestsFailedByStable, boolean asExpected) {
  }

  record VersionResult(long version, String what, String expected, String outcome, String message, String image,
                       Map<String, String> commits, long served, long failed) {
  }

  private static Summary summarize(LocalController controller, GitRemote gitops, Map<Long, PipelineRun> runs,
                                   Map<String, DemoTraffic> traffic, SplitMeter meter) throws Exception {
    Map<String, long[]> byBackend = new java.util.TreeMap<>();
    traffic.values().forEach(t -> t.counts().forEach((backend, tally) -> {
      long[] sum = byBackend.computeIfAbsent(backend, b -> new long[2]);
      sum[0] += tally[0];
      sum[1] += tally[1];
    }));
    List<VersionResult> versions = new ArrayList<>();
    boolean expected = true;
    Map<String, String> versionByDigest = new LinkedHashMap<>();
    for (Step step : STORY) {
      PipelineRun run = runs.get(step.version());
      String outcome = run.outcome().map(Enum::name).orElse("UNFINISHED");
      expected &= outcome.equals(step.expected().name());
      String image = run.value(BuildImageStage.NAME, BuildImageStage.IMAGE).orElse("");
      long served = 0;
      long failed = 0;
      if (image.contains("sha256:")) {
        String shortDigest = shortDigest(image);
        versionByDigest.put(shortDigest, Long.toString(step.version()));
        for (Map.Entry<String, long[]> backend : byBackend.entrySet()) {
          if (backend.getKey().contains(shortDigest)) {
            served += backend.getValue()[0];
            failed += backend.getValue()[1];
          }
        }
      }
      Map<String, String> commits = new LinkedHashMap<>();
      for (PipelineRun.StageRecord stage : run.stages()) {
        String commit = stage.values().get(dev.modelship.controller.pipeline.stages.ReleaseStage.COMMIT);
        if (commit != null && !commit.isEmpty()) {
          commits.put(stage.stage(), commit);
        }
      }
      versions.add(new VersionResult(step.version(), step.what(), step.expected().name(), outcome,
          run.outcomeMessage(), image, commits, served, failed));
    }
    Map<String, String> stable = new LinkedHashMap<>();
    Map<String, String> newest = new LinkedHashMap<>();
    ReleaseWriter writer = ReleaseWriter.create(gitops, event -> { });
    for (String environment : ENVIRONMENTS) {
      RolloutStatus status = controller.rollouts().status(MODEL, environment).orElse(null);
      stable.put(environment, status == null || status.stableImage() == null ? "none"
          : versionByDigest.getOrDefault(shortDigest(status.stableImage()), "?"));
      List<ReleaseEvent> history = writer.history(MODEL, environment);
      newest.put(environment, history.isEmpty() ? "none" : history.get(0).action() + " to version "
          + history.get(0).version() + " (" + history.get(0).sha().substring(0, 12) + "): " + history.get(0).subject());
      expected &= "2".equals(stable.get(environment));
      ReleaseEvent.Action wanted = environment.equals(STAGING) ? ReleaseEvent.Action.ROLLBACK
          : ReleaseEvent.Action.PROMOTE;
      expected &= !history.isEmpty() && history.get(0).action() == wanted && "2".equals(history.get(0).version());
    }
    List<SplitMeter.Measured> split = meter.measure(traffic);
    long sent = traffic.values().stream().mapToLong(DemoTraffic::sent).sum();
    long failed = byBackend.values().stream().mapToLong(t -> t[1]).sum();
    String badDigest = versions.get(2).image().isEmpty() ? "-" : shortDigest(versions.get(2).image());
    long failedElsewhere = byBackend.entrySet().stream().filter(e -> !e.getKey().contains(badDigest))
        .mapToLong(e -> e.getValue()[1]).sum();
    expected &= failedElsewhere == 0;
    return new Summary(versions, stable, newest, split, sent, failed, failedElsewhere, expected);
  }

  private static String shortDigest(String image) {
    int at = image.indexOf("sha256:");
    return at < 0 ? image : image.substring(at + 7, Math.min(image.length(), at + 19));
  }

  private static void print(PrintWriter out, Summary summary) {
    out.println();
    out.println("SUMMARY");
    out.printf(Locale.ROOT, "%-9s %-10s %-10s %-14s %-27s %7s %6s  %s%n", "version", "expected", "outcome", "image",
        "commits", "served", "failed", "why");
    for (VersionResult version : summary.versions()) {
      String commits = version.commits().entrySet().stream().map(e -> e.getKey().replace("release-", "")
          .replace("promote-", "") + " " + e.getValue().substring(0, 7)).collect(java.util.stream.Collectors
          .joining(", "));
      String why = version.message();
      if (why.length() > 110) {
        why = why.substring(0, 107) + "...";
      }
      out.printf(Locale.ROOT, "%-9s %-10s %-10s %-14s %-27s %7d %6d  %s%n", MODEL + ":" + version.version(),
          version.expected(), version.outcome(), version.image().isEmpty() ? "-" : shortDigest(version.image()),
          commits.isEmpty() ? "-" : commits, version.served(), version.failed(), why);
    }
    summary.stableVersion().forEach((environment, version) -> out.println("stable in " + environment + ": " + MODEL
        + ":" + version + "; newest GitOps commit: " + summary.newestGitEvent().get(environment)));
    for (SplitMeter.Measured measured : summary.trafficSplit()) {
      out.printf(Locale.ROOT, "traffic split in %s, canary image %s at weight %d%%: %.1f%% of %d requests went to it%n",
          measured.environment(), measured.canary(), measured.weight(), 100 * measured.share(),
          measured.requests());
    }
    out.printf(Locale.ROOT, "live traffic: %d requests, %d failed (%.2f%%), %d of them not by the defective canary%n",
        summary.requestsSent(), summary.requestsFailed(), summary.requestsSent() == 0 ? 0.0
            : 100.0 * summary.requestsFailed() / summary.requestsSent(), summary.requestsFailedByStable());
    out.println(summary.asExpected() ? "RESULT: every version ended as expected"
        : "RESULT: NOT as expected (see the outcomes above)");
    out.flush();
  }

  private static void awaitCtrlC(LocalController controller) throws InterruptedException {
    dev.modelship.controller.local.Signals.awaitTermination(controller::close);
  }

  private static void copyFolder(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
  }

}
