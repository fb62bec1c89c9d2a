package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import dev.modelship.controller.analysis.provider.MetricProvider;
import dev.modelship.controller.gitops.GitOpsCheckout;
import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.rollout.Kustomize;
import dev.modelship.controller.rollout.RolloutStatus;
import dev.modelship.controller.testing.GitOpsRepo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine against a real GitOps repository (bare, initialised from the template, written by the release
 * writer and by a person's pushes), rendered by the installed {@code kubectl kustomize}. Instances are small HTTP
 * servers in this JVM answering their name, metrics are scripted and time is the test's: each test calls
 * {@link LocalRolloutDriver#reconcileOnce()} itself instead of relying on the background loop.
 */
class LocalRolloutDriverIT {
  private static final String APP = "clicks";
  private static final String OVERLAY = "apps/clicks/overlays/production/kustomization.yaml";
  /** A canary short enough for a test: 30% for 10 s, an analysis of 5 measurements 5 s apart, then 100%. */
  private static final String SHORT_CANARY = """
      # A short canary for tests: 30% -> pause 10s -> analysis (5 measurements 5s apart) -> 100%.
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata:
        name: every-rollout
      spec:
        strategy:
          canary:
            steps:
              - setWeight: 30
              - pause:
                  duration: 10s
              - analysis:
                  templates:
                    - templateName: modelship-error-rate
                      clusterScope: true
                    - templateName: modelship-latency-p99
                      clusterScope: true
                  args:
                    - name: model
                      valueFrom:
                        fieldRef:
                          fieldPath: metadata.labels['modelship.dev/model']
                    - name: version
                      valueFrom:
                        fieldRef:
                          fieldPath: metadata.labels['modelship.dev/version']
                    - name: interval
                      value: 5s
                    - name: count
                      value: "5"
              - setWeight: 100
      """;

  static {
    // The JDK's HTTP server otherwise answers small responses 40 ms late (Nagle's algorithm and delayed ACKs).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  @TempDir
  Path dir;

  private final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final FakeLauncher launcher = new FakeLauncher();
  private final ScriptedMetrics metrics = new ScriptedMetrics();
  private final List<String> rollbacks = new CopyOnWriteArrayList<>();
  private final Map<String, RolloutStatus> observed = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<LocalRolloutDriver> drivers = new ArrayList<>();
  private GitOpsRepo repo;
  private RollbackWriter rollbackWriter = (app, aborted, stable, reason) ->
      rollbacks.add(app + ": " + aborted.image() + " -> " + stable.image() + ": " + reason);

  @BeforeEach
  void initialiseRepository() throws Exception {
    repo = GitOpsRepo.init(dir.resolve("git"));
  }

  @AfterEach
  void closeDrivers() {
    drivers.forEach(LocalRolloutDriver::close);
    launcher.stopAll();
  }

  private LocalRolloutDriver driver() throws IOException {
    return driver(dir.resolve("state").resolve("rollouts.json"));
  }

  private LocalRolloutDriver driver(Path stateFile) throws IOException {
    return driver(stateFile, 0);
  }

  private LocalRolloutDriver driver(Path stateFile, int firstPort) throws IOException {
    LocalRolloutDriver driver = new LocalRolloutDriver(new GitOpsCheckout(repo.remote(), dir.resolve("checkout")),
        Kustomize.locate(System.getenv()), launcher, new BuiltInAnalysisRuns(metrics, clock),
        (app, aborted, stable, reason) -> rollbackWriter.rollback(app, aborted, stable, reason), clock,
        new LocalRolloutDriver.Settings(GitOpsRepo.ENVIRONMENT, "127.0.0.1", firstPort, Duration.ofSeconds(1),
            stateFile), observed::put);
    drivers.add(driver);
    return driver;
  }

  private void useShortCanary() throws Exception {
    repo.humanCommit("test: a short canary", Map.of("rollouts/canary/canary-strategy.yaml", SHORT_CANARY));
  }

  private static String image(long version) {
    return GitOpsRepo.image(APP, version).reference();
  }

  private static RolloutStatus status(LocalRolloutDriver driver) {
    List<RolloutStatus> statuses = driver.statuses();
    assertThat(statuses).extracting(RolloutStatus::name).containsExactly(APP);
    return statuses.get(0);
  }

  /** Moves time on in steps, reconciling after each; returns the last status. */
  private RolloutStatus reconcileFor(LocalRolloutDriver driver, int seconds, int step) throws Exception {
    RolloutStatus status = status(driver);
    for (int elapsed = 0; elapsed < seconds; elapsed += step) {
      clock.advance(Duration.ofSeconds(step));
      driver.reconcileOnce();
      status = status(driver);
    }
    return status;
  }

  private String get(URI endpoint) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/v2/health/ready"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** Which instances answered {@code requests} requests sent to the app's endpoint. */
  private Set<String> answering(LocalRolloutDriver driver, int requests) throws Exception {
    URI endpoint = driver.endpoint(APP).orElseThrow();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      names.add(get(endpoint));
    }
    return names;
  }

  @Test
  void theFirstReleaseBecomesStableAndTakesTheAppsTraffic() throws Exception {
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();

    List<RolloutStatus> statuses = driver.reconcileOnce();

    assertThat(statuses).singleElement().satisfies(status -> {
      assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
      assertThat(status.stableImage()).isEqualTo(image(1));
      assertThat(status.canaryImage()).isNull();
      assertThat(status.message()).isEqualTo("first release " + image(1) + " is stable");
      assertThat(status.endpoint()).isEqualTo(driver.endpoint(APP).orElseThrow().toString());
    });
    assertThat(launcher.started).containsExactly("v1-0");
    assertThat(answering(driver, 5)).containsExactly("v1-0");
    assertThat(observed.get(APP).stableImage()).isEqualTo(image(1));
    assertThat(driver.problems()).isEmpty();
  }

  @Test
  void aSecondReleaseWalksTheCanaryStepsCommittedToGitAndPromotes() throws Exception {
    useShortCanary();
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    repo.release(APP, 2);

    driver.reconcileOnce();

    RolloutStatus status = status(driver);
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.PAUSED);
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(status.canaryImage()).isEqualTo(image(2));
    assertThat(status.canaryWeight()).isEqualTo(30);
    assertThat(status.currentStepIndex()).isEqualTo(1);
    assertThat(status.stepCount()).isEqualTo(4);
    assertThat(status.pauseConditions()).extracting(RolloutStatus.PauseCondition::reason)
        .containsExactly(RolloutStatus.PauseCondition.CANARY_PAUSE_STEP);
    assertThat(launcher.started).containsExactly("v1-0", "v2-0");
    // Each request goes to the canary with probability 0.3: missing it 100 times in a row is (0.7)^100, 3e-16.
    assertThat(answering(driver, 100)).containsExactlyInAnyOrder("v1-0", "v2-0");

    status = reconcileFor(driver, 10, 5);
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.PROGRESSING);
    assertThat(status.currentStepIndex()).isEqualTo(2);
    assertThat(status.stepAnalysis()).isPresent();
    assertThat(launcher.stopped).isEmpty();

    status = reconcileFor(driver, 20, 5);
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).isEqualTo(image(2));
    assertThat(status.canaryImage()).isNull();
    assertThat(status.message()).isEqualTo("promoted " + image(2) + " to stable");
    assertThat(launcher.stopped).containsExactly("v1-0");
    assertThat(answering(driver, 20)).containsExactly("v2-0");
    // The analysis measured the canary's version against the stable's, both read from the Rollout's labels.
    assertThat(metrics.measured).contains("error-rate clicks:2", "error-rate clicks:1", "latency-p99 clicks:2");
    assertThat(rollbacks).isEmpty();
  }

  @Test
  void aCanaryFailingItsAnalysisIsAbortedAndRolledBackWhileStableKeepsServing() throws Exception {
    useShortCanary();
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    repo.release(APP, 2);
    metrics.errorRates.put("2", 0.2);

    driver.reconcileOnce();
    RolloutStatus status = reconcileFor(driver, 25, 5);

    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.aborted()).isTrue();
    assertThat(status.canaryWeight()).isZero();
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(rollbacks).singleElement().asString()
        .startsWith("clicks: " + image(2) + " -> " + image(1) + ": ").contains("error-rate");
    assertThat(answering(driver, 30)).containsExactly("v1-0");
  }

  @Test
  void anAbortedCanaryIsRolledBackInGitAndTheAppSettlesOnItsStable() throws Exception {
    rollbackWriter = new GitRollbackWriter(repo.writer(), GitOpsRepo.ENVIRONMENT, GitOpsRepo.PIPELINE);
    useShortCanary();
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    repo.release(APP, 2);
    driver.reconcileOnce();

    RolloutStatus aborted = driver.abort(APP, null, "looks wrong");

    assertThat(aborted.aborted()).isTrue();
    assertThat(aborted.message()).contains("aborted by a human: looks wrong");
    List<ReleaseEvent> history = repo.writer().history(APP, GitOpsRepo.ENVIRONMENT);
    assertThat(history.get(0).action()).isEqualTo(ReleaseEvent.Action.ROLLBACK);
    assertThat(history.get(0).image()).isEqualTo(image(1));
    assertThat(history.get(0).why()).contains("looks wrong");

    driver.reconcileOnce();
    RolloutStatus status = reconcileFor(driver, 30, 10);
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.aborted()).isFalse();
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(status.canaryImage()).isNull();
    assertThat(launcher.stopped).containsExactly("v2-0");
    assertThat(repo.writer().history(APP, GitOpsRepo.ENVIRONMENT)).hasSize(history.size());
  }

  @Test
  void anAbortIsRolledBackInGitEvenWhenSomeoneEditedTheOverlayDuringTheCanary() throws Exception {
    rollbackWriter = new GitRollbackWriter(repo.writer(), GitOpsRepo.ENVIRONMENT, GitOpsRepo.PIPELINE);
    useShortCanary();
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    repo.release(APP, 2);
    driver.reconcileOnce();
    String hpa = "apps/clicks/overlays/production/hpa-production.yaml";
    repo.humanCommit("production: allow thirty pods", Map.of(hpa, repo.read(hpa).replace("maxReplicas: 20",
        "maxReplicas: 30")));
    driver.reconcileOnce();

    driver.abort(APP, null, "looks wrong");

    ReleaseEvent newest = repo.writer().history(APP, GitOpsRepo.ENVIRONMENT).get(0);
    assertThat(newest.action()).isEqualTo(ReleaseEvent.Action.ROLLBACK);
    assertThat(newest.image()).isEqualTo(image(1));
    assertThat(repo.read(hpa)).contains("maxReplicas: 30");
    RolloutStatus status = driver.reconcileOnce().get(0);
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).isEqualTo(image(1));
  }

  @Test
  void aCommitThatBreaksTheOverlayKeepsTheAppOnItsLastGoodSpecAndSaysWhy() throws Exception {
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    String goodOverlay = repo.read(OVERLAY);

    String broken = repo.humanCommit("chore: tidy the overlay", Map.of(OVERLAY, goodOverlay
        + "resources: [../../base\n  images: {\n"));
    RolloutStatus status = driver.reconcileOnce().get(0);

    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.message()).startsWith("InvalidSpec at " + broken.substring(0, 12) + ": cannot render ")
        .contains("overlays/production");
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(observed.get(APP).phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(answering(driver, 5)).containsExactly("v1-0");
    assertThat(launcher.started).containsExactly("v1-0");
    assertThat(launcher.stopped).isEmpty();

    // Still shown on the following reconciles, while the head does not move...
    assertThat(driver.reconcileOnce().get(0).message()).startsWith("InvalidSpec at " + broken.substring(0, 12));
    // ... and gone once a commit repairs it.
    repo.humanCommit("fix: restore the overlay", Map.of(OVERLAY, goodOverlay));
    status = driver.reconcileOnce().get(0);
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.message()).doesNotContain("InvalidSpec");
    assertThat(launcher.started).containsExactly("v1-0");
  }

  @Test
  void anAppWhoseFirstRenderFailsIsShownDegradedWithTheReasonUntilItIsRepaired() throws Exception {
    repo.release(APP, 1);
    String goodOverlay = repo.read(OVERLAY);
    String broken = repo.humanCommit("chore: break it", Map.of(OVERLAY, "resources: [\n"));
    LocalRolloutDriver driver = driver();

    RolloutStatus status = driver.reconcileOnce().get(0);

    assertThat(status.name()).isEqualTo(APP);
    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.message()).startsWith("InvalidSpec at " + broken.substring(0, 12) + ": cannot render ");
    assertThat(status.stableImage()).isNull();
    assertThat(driver.problems()).containsOnlyKeys(APP);
    assertThat(driver.endpoint(APP)).isEmpty();
    assertThat(launcher.started).isEmpty();
    assertThatThrownBy(() -> driver.promote(APP, null, true)).isInstanceOf(IllegalArgumentException.class);

    repo.humanCommit("fix: restore the overlay", Map.of(OVERLAY, goodOverlay));
    status = driver.reconcileOnce().get(0);
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(driver.problems()).isEmpty();
    assertThat(launcher.started).containsExactly("v1-0");
  }

  @Test
  void anAppThatNeverRenderedDisappearsOnceRemovedFromGit() throws Exception {
    repo.release(APP, 1);
    repo.humanCommit("chore: break it", Map.of(OVERLAY, "resources: [\n"));
    LocalRolloutDriver driver = driver();
    assertThat(driver.reconcileOnce()).hasSize(1);

    repo.humanCommit("chore: remove clicks", mapOfNull("apps/clicks"));

    assertThat(driver.reconcileOnce()).isEmpty();
    assertThat(driver.statuses()).isEmpty();
    assertThat(driver.problems()).isEmpty();
  }

  @Test
  void removingTheAppFromGitStopsItsInstancesAndClosesItsEndpoint() throws Exception {
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    URI endpoint = driver.endpoint(APP).orElseThrow();

    repo.humanCommit("chore: retire clicks", mapOfNull("apps/clicks"));

    assertThat(driver.reconcileOnce()).isEmpty();
    assertThat(launcher.stopped).containsExactly("v1-0");
    assertThat(driver.endpoint(APP)).isEmpty();
    assertThatThrownBy(() -> get(endpoint)).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> driver.promote(APP, null, true)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAppAddedBackAfterItsRemovalStartsFromGitsImageNotTheStableItHadBefore() throws Exception {
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    repo.humanCommit("chore: retire clicks", mapOfNull("apps/clicks"));
    driver.reconcileOnce();

    repo.release(APP, 2);
    RolloutStatus status = driver.reconcileOnce().get(0);

    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).isEqualTo(image(2));
    assertThat(status.canaryImage()).isNull();
    assertThat(launcher.started).containsExactly("v1-0", "v2-0");
  }

  @Test
  void appsOnFixedPortsKeepTheirPortsAndANewAppTakesAPortNoRunningAppHolds() throws Exception {
    repo.release("alpha", 1);
    repo.release("beta", 1);
    int firstPort = twoFreePorts();
    LocalRolloutDriver driver = driver(dir.resolve("state.json"), firstPort);
    driver.reconcileOnce();
    assertThat(driver.endpoint("alpha")).contains(URI.create("http://127.0.0.1:" + firstPort));
    assertThat(driver.endpoint("beta")).contains(URI.create("http://127.0.0.1:" + (firstPort + 1)));

    repo.humanCommit("chore: retire alpha", mapOfNull("apps/alpha"));
    repo.release("gamma", 1);
    List<RolloutStatus> statuses = driver.reconcileOnce();

    assertThat(statuses).extracting(RolloutStatus::name).containsExactly("beta", "gamma");
    assertThat(statuses).extracting(RolloutStatus::phase).containsOnly(RolloutStatus.HEALTHY);
    assertThat(driver.endpoint("beta")).contains(URI.create("http://127.0.0.1:" + (firstPort + 1)));
    assertThat(driver.endpoint("gamma")).contains(URI.create("http://127.0.0.1:" + firstPort));
    assertThat(get(driver.endpoint("beta").orElseThrow())).isEqualTo("beta-v1-0");
    assertThat(get(driver.endpoint("gamma").orElseThrow())).isEqualTo("gamma-v1-0");
  }

  /** The first of two consecutive loopback ports that nothing listens on now. */
  private static int twoFreePorts() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
           ServerSocket second = new ServerSocket(first.getLocalPort() + 1, 1, InetAddress.getLoopbackAddress())) {
        return first.getLocalPort();
      } catch (IOException taken) {
        // the next port is in use: try another pair
      }
    }
    throw new IOException("no two consecutive free ports");
  }

  @Test
  void anUnreachableGitOpsRepositoryKeepsTheAppsOnTheirLastGoodStateAndSaysSo() throws Exception {
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    Path bare = dir.resolve("git").resolve("gitops.git");
    Path away = Files.move(bare, dir.resolve("git").resolve("moved.git"));

    RolloutStatus status = driver.reconcileOnce().get(0);

    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.message()).startsWith("cannot sync the GitOps repository (keeping the last good state): ");
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(driver.problems()).containsOnlyKeys("gitops");
    assertThat(answering(driver, 3)).containsExactly("v1-0");
    assertThat(launcher.stopped).isEmpty();

    Files.move(away, bare);
    status = driver.reconcileOnce().get(0);
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(driver.problems()).isEmpty();
  }

  @Test
  void anImageThatCannotStartIsRetriedWithABackOffThatGrows() throws Exception {
    repo.release(APP, 1);
    launcher.failing.add("1");
    LocalRolloutDriver driver = driver();

    RolloutStatus status = driver.reconcileOnce().get(0);

    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.message()).startsWith("cannot run " + image(1) + " (attempt 1, next in 2 s): ")
        .contains("no image v1 in the local store");
    assertThat(launcher.attempts("1")).isEqualTo(1);
    assertThat(driver.reconcileOnce().get(0).message()).contains("(attempt 1, next in 2 s)");
    clock.advance(Duration.ofSeconds(1));
    driver.reconcileOnce();
    assertThat(launcher.attempts("1")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    status = driver.reconcileOnce().get(0);
    assertThat(launcher.attempts("1")).isEqualTo(2);
    assertThat(status.message()).contains("(attempt 2, next in 4 s)");
    clock.advance(Duration.ofSeconds(3));
    driver.reconcileOnce();
    assertThat(launcher.attempts("1")).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    status = driver.reconcileOnce().get(0);
    assertThat(launcher.attempts("1")).isEqualTo(3);
    assertThat(status.message()).contains("(attempt 3, next in 8 s)");

    launcher.failing.clear();
    clock.advance(Duration.ofSeconds(7));
    driver.reconcileOnce();
    assertThat(launcher.attempts("1")).isEqualTo(3);
    clock.advance(Duration.ofSeconds(1));
    status = driver.reconcileOnce().get(0);
    assertThat(launcher.attempts("1")).isEqualTo(4);
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.message()).isEqualTo("first release " + image(1) + " is stable");
    assertThat(answering(driver, 3)).containsExactly("v1-0");
  }

  @Test
  void aCanaryThatCannotStartLeavesStableServingAndANewerReleaseIsTriedAtOnce() throws Exception {
    useShortCanary();
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();
    launcher.failing.add("2");
    repo.release(APP, 2);

    RolloutStatus status = driver.reconcileOnce().get(0);

    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.message()).startsWith("cannot run " + image(2) + " (attempt 1, next in 2 s)");
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(status.canaryImage()).isNull();
    assertThat(answering(driver, 5)).containsExactly("v1-0");

    repo.release(APP, 3);
    status = driver.reconcileOnce().get(0);
    assertThat(status.canaryImage()).as(status.message()).isEqualTo(image(3));
    assertThat(status.phase()).isEqualTo(RolloutStatus.PAUSED);
    assertThat(launcher.attempts("2")).isEqualTo(1);
    assertThat(launcher.started).containsExactly("v1-0", "v3-0");
  }

  @Test
  void afterARestartTheRecordedStableStartsFirstAndTheNewImageRunsItsCanaryAgain() throws Exception {
    useShortCanary();
    Path stateFile = dir.resolve("state").resolve("rollouts.json");
    repo.release(APP, 1);
    LocalRolloutDriver first = driver(stateFile);
    first.reconcileOnce();
    repo.release(APP, 2);
    first.reconcileOnce();
    reconcileFor(first, 15, 5); // into the analysis step
    first.close();
    assertThat(launcher.stopped).containsExactlyInAnyOrder("v1-0", "v2-0");
    assertThat(Files.readString(stateFile)).contains(image(1)).doesNotContain(image(2));
    launcher.started.clear();

    LocalRolloutDriver restarted = driver(stateFile);
    RolloutStatus status = restarted.reconcileOnce().get(0);

    assertThat(launcher.started).containsExactly("v1-0", "v2-0");
    assertThat(status.stableImage()).isEqualTo(image(1));
    assertThat(status.canaryImage()).isEqualTo(image(2));
    assertThat(status.currentStepIndex()).isEqualTo(1);
    assertThat(status.canaryWeight()).isEqualTo(30);
    assertThat(status.phase()).isEqualTo(RolloutStatus.PAUSED);

    // A human promotes it fully: the new stable is recorded, and the next restart starts only it.
    status = restarted.promote(APP, null, true);
    assertThat(status.stableImage()).isEqualTo(image(2));
    assertThat(status.endpoint()).isEqualTo(restarted.endpoint(APP).orElseThrow().toString());
    assertThat(Files.readString(stateFile)).contains(image(2)).doesNotContain(image(1));
    restarted.close();
    launcher.started.clear();
    status = driver(stateFile).reconcileOnce().get(0);
    assertThat(launcher.started).containsExactly("v2-0");
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
  }

  @Test
  void withoutAStateFileARestartTakesGitsImageAsStable() throws Exception {
    useShortCanary();
    repo.release(APP, 1);
    LocalRolloutDriver first = driver(null);
    first.reconcileOnce();
    repo.release(APP, 2);
    first.reconcileOnce();
    first.close();
    launcher.started.clear();

    RolloutStatus status = driver(null).reconcileOnce().get(0);

    assertThat(launcher.started).containsExactly("v2-0");
    assertThat(status.stableImage()).isEqualTo(image(2));
    assertThat(status.canaryImage()).isNull();
  }

  @Test
  void anUnreadableStateFileIsRefusedNamingIt() throws Exception {
    Path stateFile = Files.createDirectories(dir.resolve("state")).resolve("rollouts.json");
    Files.writeString(stateFile, "{not json");

    assertThatThrownBy(() -> driver(stateFile)).isInstanceOf(IOException.class)
        .hasMessageContaining(stateFile.toString()).hasMessageContaining("delete it");
  }

  @Test
  void promoteAndAbortOfAnAppTheEngineDoesNotRunAreRefused() throws Exception {
    repo.release(APP, 1);
    LocalRolloutDriver driver = driver();
    driver.reconcileOnce();

    assertThatThrownBy(() -> driver.promote("orders", null, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'orders'").hasMessageContaining("[clicks]");
    assertThatThrownBy(() -> driver.abort("orders", null, "no")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'orders'");
    // Clicks itself has no canary: that is a different refusal.
    assertThatThrownBy(() -> driver.promote(APP, null, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no canary");
  }

  private static Map<String, String> mapOfNull(String path) {
    Map<String, String> files = new HashMap<>();
    files.put(path, null);
    return files;
  }

  /** Instances that are HTTP servers in this JVM answering their name ({@code v<version>-<index>}). */
  static final class FakeLauncher implements InstanceLauncher {
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> stopped = new CopyOnWriteArrayList<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    int attempts(String version) {
      return attempts.getOrDefault(version, 0);
    }

    @Override
    public Instance start(String app, String image, int index) throws Exception {
      String version = versionOf(app, image);
      attempts.merge(version, 1, Integer::sum);
      if (failing.contains(version)) {
        throw new IOException("no image v" + version + " in the local store");
      }
      String name = (app.equals(APP) ? "" : app + "-") + "v" + version + "-" + index;
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      servers.add(server);
      started.add(name);
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      return new Instance() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public URI base() {
          return base;
        }

        @Override
        public void stop(Duration drain) {
          server.stop(0);
          stopped.add(name);
        }
      };
    }

    private static String versionOf(String app, String image) {
      for (int n = 1; n < 50; n++) {
        if (image.equals(GitOpsRepo.image(app, n).reference())) {
          return Integer.toString(n);
        }
      }
      throw new IllegalArgumentException("not a test image: " + image);
    }

    void stopAll() {
      servers.forEach(server -> server.stop(0));
    }
  }

  /**
   * Error rates per version (0 unless set) and a latency that wobbles a little with time, the same for every
   * version; records what was measured as {@code metric model:version}.
   */
  static final class ScriptedMetrics implements MetricProvider {
    final Map<String, Double> errorRates = new ConcurrentHashMap<>();
    final List<String> measured = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
      return "scripted";
    }

    @Override
    public MetricValue measure(ResolvedMetric metric, Instant at) {
      String version = metric.args().get("version");
      measured.add(metric.name() + " " + metric.args().get("model") + ":" + version);
      return new MetricValue.Vector(List.of(metric.name().equals("error-rate")
          ? errorRates.getOrDefault(version, 0.0) : 0.010 + (at.getEpochSecond() % 7) * 0.0001));
    }
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

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
}
