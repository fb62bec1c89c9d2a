package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.gitops.GitCredentials;
import dev.modelship.controller.gitops.GitRemote;
import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.gitops.ReleaseWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelship demo --no-wait}: the whole platform on this machine with real parts (registry, validation gate,
 * Jib image build into the local store, GitOps repository, kubectl kustomize, serving runtimes as processes, live
 * traffic, scrape-based analysis), four versions pushed through it.
 */
class DemoCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void pushesFourVersionsAndEachEndsAsTheStorySays() throws Exception {
    Path summaryFile = dir.resolve("summary.json");
    Path work = dir.resolve("demo");
    CliRun run = CliRun.of("demo", "--dir", work.toString(), "--port", "0", "--app-port", "0", "--no-wait",
        "--summary-json", summaryFile.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("RESULT: every version ended as expected");
    JsonNode summary = JSON.readTree(summaryFile.toFile());
    JsonNode versions = summary.path("versions");
    assertThat(versions.get(0).path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(versions.get(1).path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(versions.get(2).path("outcome").asText()).isEqualTo("ABORTED");
    assertThat(versions.get(2).path("message").asText()).contains("error-rate");
    assertThat(versions.get(3).path("outcome").asText()).isEqualTo("REJECTED");
    assertThat(versions.get(3).path("message").asText()).contains("vs_champion");
    // live traffic reached v1 and v2 without errors, v3's canary failed some of it, v4 never served
    assertThat(versions.get(0).path("served").asLong()).isPositive();
    assertThat(versions.get(1).path("served").asLong()).isPositive();
    assertThat(versions.get(1).path("failed").asLong()).isZero();
    assertThat(versions.get(2).path("failed").asLong()).isPositive();
    assertThat(versions.get(3).path("served").asLong()).isZero();
    assertThat(versions.get(3).path("image").asText()).isEmpty();
    assertThat(summary.path("stableVersion").path("staging").asText()).isEqualTo("2");
    assertThat(summary.path("stableVersion").path("production").asText()).isEqualTo("2");
    assertThat(summary.path("requestsFailedByStable").asLong()).as("requests failed by anything but the bad canary")
        .isZero();
    assertThat(summary.path("asExpected").asBoolean()).isTrue();
    // v3 never got past staging: commits for v1 and v2 in both environments, for v3 only in staging
    assertThat(versions.get(1).path("commits").size()).isEqualTo(2);
    assertThat(versions.get(2).path("commits").size()).isEqualTo(1);
    assertThat(versions.get(2).path("commits").has("release-staging")).isTrue();

    // the router's measured split: within 4 standard deviations (binomial) plus 3 points of each step's weight
    JsonNode split = summary.path("trafficSplit");
    assertThat(split.size()).isGreaterThanOrEqualTo(4);
    for (JsonNode measured : split) {
      double weight = measured.path("weight").asInt() / 100.0;
      long requests = measured.path("requests").asLong();
      double tolerance = 4 * Math.sqrt(weight * (1 - weight) / requests) + 0.03;
      assertThat(measured.path("share").asDouble()).as(measured.toString()).isCloseTo(weight,
          org.assertj.core.data.Offset.offset(tolerance));
    }

    GitRemote gitops = GitRemote.of(work.resolve("home/gitops.git").toString(), "main", GitCredentials.none());
    List<ReleaseEvent> staging = ReleaseWriter.create(gitops, event -> { }).history("clicks", "staging");
    assertThat(staging).extracting(ReleaseEvent::action).containsExactly(ReleaseEvent.Action.ROLLBACK,
        ReleaseEvent.Action.RELEASE, ReleaseEvent.Action.RELEASE, ReleaseEvent.Action.RELEASE);
    assertThat(staging).extracting(ReleaseEvent::version).containsExactly("2", "3", "2", "1");
    assertThat(staging.get(0).why()).contains("canary aborted").contains("error-rate");
    List<ReleaseEvent> production = ReleaseWriter.create(gitops, event -> { }).history("clicks", "production");
    assertThat(production).extracting(ReleaseEvent::action).containsExactly(ReleaseEvent.Action.PROMOTE,
        ReleaseEvent.Action.PROMOTE);
    assertThat(production).extracting(ReleaseEvent::version).containsExactly("2", "1");
    // the registry holds all four versions; v4 was never built
    assertThat(new dev.modelship.controller.registry.FileSystemModelRegistry(work.resolve("home/registry"))
        .versions("clicks")).hasSize(4);
    try (var images = Files.list(work.resolve("home/images"))) {
      assertThat(images.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("clicks-1.tar",
          "clicks-2.tar", "clicks-3.tar");
    }
    // the demo's instances were all stopped
    try (var pids = Files.list(work.resolve("home/logs"))) {
      assertThat(pids.filter(file -> file.toString().endsWith(".pid"))).isEmpty();
    }
  }

  @Test
  void refusesAFolderItDidNotMake() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--port", "0", "--app-port", "0", "--no-wait");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("is not empty and was not made by `modelship demo`");
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void refusesAPortOutOfRange() {
    CliRun run = CliRun.of("demo", "--dir", dir.resolve("d").toString(), "--port", "70000", "--no-wait");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).startsWith("error: ports must be 0-65535");
  }

  @Test
  void reportsAControllerPortThatIsAlreadyTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRun run = CliRun.of("demo", "--dir", dir.resolve("d").toString(), "--port",
          Integer.toString(taken.getLocalPort()), "--app-port", "0", "--no-wait");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).startsWith("error: cannot start the controller:");
    }
  }
}
