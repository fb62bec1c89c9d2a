package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.config.ModelshipHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryWatcherIT {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final RegistryWatcher.Settings EVERYTHING = RegistryWatcher.Settings.defaults();
  private static final RegistryWatcher.Settings NOW = new RegistryWatcher.Settings(Duration.ofSeconds(2),
      RegistryWatcher.StartFrom.NOW);

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final List<ModelVersionPublished> received = new CopyOnWriteArrayList<>();
  private FileSystemModelRegistry registry;
  private Path stateFile;
  private int variant;

  @BeforeEach
  void setUp() {
    registry = new FileSystemModelRegistry(dir.resolve("registry"), clock, Duration.ofHours(1));
    stateFile = RegistryWatcher.stateFile(new ModelshipHome(dir.resolve("home")), registry);
  }

  @Test
  void handsOnEveryVersionOnceAcrossPollsAndRestarts() throws Exception {
    ModelVersionPublished clicks1 = publish("clicks:1");
    ModelVersionPublished clicks2 = publish("clicks:2");
    ModelVersionPublished ranker1 = publish("ranker:1");

    RegistryWatcher first = watcher(EVERYTHING, received::add);
    assertThat(first.pollOnce().handedOn()).containsExactly(clicks1, clicks2, ranker1);
    assertThat(first.pollOnce().handedOn()).isEmpty();

    RegistryWatcher restarted = watcher(EVERYTHING, received::add);
    assertThat(restarted.pollOnce().handedOn()).isEmpty();
    ModelVersionPublished clicks3 = publish("clicks:3");
    assertThat(restarted.pollOnce().handedOn()).containsExactly(clicks3);

    assertThat(received).containsExactly(clicks1, clicks2, ranker1, clicks3);
  }

  @Test
  void aFailingListenerGetsTheVersionAgainAndHoldsBackOnlyThatModelsLaterVersions() throws Exception {
    ModelVersionPublished clicks1 = publish("clicks:1");
    ModelVersionPublished clicks2 = publish("clicks:2");
    ModelVersionPublished ranker1 = publish("ranker:1");
    AtomicInteger calls = new AtomicInteger();
    RegistryWatcher watcher = watcher(EVERYTHING, event -> {
      if (event.equals(clicks1) && calls.getAndIncrement() == 0) {
        throw new IllegalStateException("image registry is down");
      }
      received.add(event);
    });

    RegistryWatcher.PollReport failed = watcher.pollOnce();

    assertThat(failed.handedOn()).containsExactly(ranker1);
    assertThat(failed.failures()).containsOnlyKeys("clicks:1");
    assertThat(failed.failures().get("clicks:1")).hasMessage("image registry is down");

    RegistryWatcher restarted = watcher(EVERYTHING, received::add);
    assertThat(restarted.pollOnce().handedOn()).containsExactly(clicks1, clicks2);
    assertThat(received).containsExactly(ranker1, clicks1, clicks2);
  }

  @Test
  void startingFromNowSkipsOnlyWhatExistedAtTheVeryFirstStart() throws Exception {
    publish("clicks:1");
    RegistryWatcher first = watcher(NOW, received::add);

    RegistryWatcher.PollReport baseline = first.pollOnce();
    ModelVersionPublished clicks2 = publish("clicks:2");
    RegistryWatcher.PollReport afterPublish = first.pollOnce();

    assertThat(baseline.recordedAsExisting()).isEqualTo(1);
    assertThat(baseline.handedOn()).isEmpty();
    assertThat(afterPublish.handedOn()).containsExactly(clicks2);

    ModelVersionPublished clicks3 = publish("clicks:3");
    RegistryWatcher restarted = watcher(NOW, received::add);
    assertThat(restarted.pollOnce().handedOn()).as("a restart is not a first start").containsExactly(clicks3);
  }

  @Test
  void theStateFileIsReplacedWholeAndBelongsToOneRegistry() throws Exception {
    ModelVersionPublished clicks1 = publish("clicks:1");
    watcher(EVERYTHING, received::add).pollOnce();

    try (Stream<Path> files = Files.list(stateFile.getParent())) {
      assertThat(files).containsExactly(stateFile);
    }
    JsonNode state = new ObjectMapper().readTree(stateFile.toFile());
    assertThat(state.path("registry").asText()).isEqualTo(registry.location());
    assertThat(state.path("first_started_at").asText()).isEqualTo(T0.toString());
    assertThat(state.path("handed_on").path("clicks:1").asText()).isEqualTo(clicks1.digest());

    FileSystemModelRegistry other = new FileSystemModelRegistry(dir.resolve("other"));
    RegistryWatcher confused = new RegistryWatcher(other, stateFile, received::add, EVERYTHING, clock);
    assertThatThrownBy(confused::pollOnce).isInstanceOf(IOException.class)
        .hasMessageContaining(registry.location()).hasMessageContaining(other.location());
  }

  @Test
  void aFileSystemRegistryWakesTheWatcherLongBeforeItsInterval() throws Exception {
    ModelVersionPublished clicks1 = publish("clicks:1");
    RegistryWatcher.Settings hourly = new RegistryWatcher.Settings(Duration.ofHours(1),
        RegistryWatcher.StartFrom.EVERYTHING);
    try (RegistryWatcher watcher = watcher(hourly, received::add)) {
      watcher.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(clicks1));

      ModelVersionPublished clicks2 = publish("clicks:2");
      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(clicks2));
      ModelVersionPublished ranker1 = publish("ranker:1");
      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(ranker1));
    }
    assertThat(received).doesNotHaveDuplicates().hasSize(3);
  }

  @Test
  void aRegistryThatCannotSignalIsPolledAtTheInterval() throws Exception {
    ModelRegistry opaque = new ForwardingRegistry(registry);
    RegistryWatcher.Settings quick = new RegistryWatcher.Settings(Duration.ofMillis(50),
        RegistryWatcher.StartFrom.EVERYTHING);
    try (RegistryWatcher watcher = new RegistryWatcher(opaque, stateFile, received::add, quick, clock)) {
      watcher.start();
      ModelVersionPublished clicks1 = publish("clicks:1");
      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(clicks1));
      ModelVersionPublished clicks2 = publish("clicks:2");
      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(clicks2));
    }
    assertThat(received).doesNotHaveDuplicates().hasSize(2);
  }

  private RegistryWatcher watcher(RegistryWatcher.Settings settings, RegistryWatcher.Listener listener) {
    return new RegistryWatcher(registry, stateFile, listener, settings, clock);
  }

  private ModelVersionPublished publish(String ref) throws Exception {
    ModelVersionRef parsed = ModelVersionRef.parse(ref);
    ModelPackage pkg = TestPackages.pkg(dir.resolve("packages").resolve(ref.replace(':', '-')), parsed.name(),
        ++variant);
    PublishedVersion version = registry.publish(parsed, pkg).version();
    return new ModelVersionPublished(version.ref(), version.digest());
  }

  /** The same registry, seen through an interface only, as a remote registry would be. */
  private record ForwardingRegistry(ModelRegistry delegate) implements ModelRegistry {
    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public PublishOutcome publish(ModelVersionRef ref, ModelPackage pkg) throws RegistryException {
      return delegate.publish(ref, pkg);
    }

    @Override
    public List<String> models() throws RegistryException {
      return delegate.models();
    }

    @Override
    public List<PublishedVersion> versions(String name) throws RegistryException {
      return delegate.versions(name);
    }

    @Override
    public Optional<PublishedVersion> find(ModelVersionRef ref) throws RegistryException {
      return delegate.find(ref);
    }

    @Override
    public ModelPackage fetch(ModelVersionRef ref, Path directory) throws RegistryException {
      return delegate.fetch(ref, directory);
    }
  }
}
