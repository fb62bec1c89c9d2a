package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers as separate JVMs on the packaged jar: one initialises the repository from the template packed in the jar,
 * then five push releases into it at the same moment.
 */
class ReleaseProcessesIT {
  @TempDir
  Path folder;

  @Test
  void releasesFromSeparateProcessesEachLandExactlyOnce() throws Exception {
    Path bare = folder.resolve("gitops.git");
    List<String> init = run(bare, List.<String[]>of(new String[] {"init"}));
    assertThat(init).singleElement().asString().startsWith("created ");
    assertThat(GitFixtures.read(bare, RepoLayout.APP_TEMPLATE + "base/rollout.yaml")).contains("kind: Rollout");

    List<String> outputs = run(bare, List.of(
        new String[] {"alpha", "1", "staging"}, new String[] {"beta", "1", "staging"},
        new String[] {"gamma", "2", "production"}, new String[] {"clicks", "5", "staging"},
        new String[] {"clicks", "5", "staging"}));

    assertThat(outputs.subList(0, 3)).allMatch(line -> line.startsWith("created "));
    assertThat(outputs.subList(3, 5)).extracting(line -> line.split(" ")[0])
        .containsExactlyInAnyOrder("created", "unchanged");
    Map<String, Integer> expected = new TreeMap<>(Map.of("alpha:1@staging", 1, "beta:1@staging", 1,
        "gamma:2@production", 1, "clicks:5@staging", 1));
    assertThat(ConcurrentReleasesIT.releasesByTarget(GitFixtures.log(bare))).isEqualTo(expected);
  }

  /** Starts one process per argument list, lets them go at once, and returns each one's last line. */
  private List<String> run(Path bare, List<String[]> jobs) throws Exception {
    Path go = Files.createTempFile(folder, "go", "");
    Files.delete(go);
    List<Process> processes = new ArrayList<>();
    List<Path> ready = new ArrayList<>();
    try {
      for (String[] job : jobs) {
        Path readyFile = Files.createTempFile(folder, "ready", "");
        Files.delete(readyFile);
        ready.add(readyFile);
        List<String> args = new ArrayList<>(List.of(bare.toString(), readyFile.toString(), go.toString()));
        args.addAll(List.of(job));
        processes.add(new ProcessBuilder(ReleaseProcess.command(args.toArray(String[]::new))).redirectErrorStream(true)
            .start());
      }
      await().atMost(Duration.ofMinutes(2)).until(() -> ready.stream().allMatch(Files::exists));
      Files.createFile(go);
      List<String> lastLines = new ArrayList<>();
      for (Process process : processes) {
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        lastLines.add(output.lines().reduce((first, second) -> second).orElse(""));
      }
      return lastLines;
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }
}
