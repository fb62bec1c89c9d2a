package dev.modelship.controller.gitops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A release writer in a JVM of its own, for the multi-process test. Arguments:
 * {@code REPO READY_FILE GO_FILE (MODEL VERSION ENV | init)}. It announces itself with READY_FILE, waits for GO_FILE
 * so that the competing processes start together, releases (or initialises the repository), and prints
 * {@code created|unchanged SHA} (or the error, exit 1). It runs the packaged jar, as the CLI does.
 */
public final class ReleaseProcess {
  private ReleaseProcess() {
  }

  public static void main(String[] args) throws Exception {
    Files.createFile(Path.of(args[1]));
    Path go = Path.of(args[2]);
    dev.modelship.controller.testing.StartSignal.await(go); // all processes start their work together
    try {
      ReleaseCommit commit = args[3].equals("init")
          ? new GitOpsInitializer(java.time.Clock.systemUTC(), event -> { }).init(GitFixtures.local(Path.of(args[0])),
              GitOpsTemplate.bundled(), GitFixtures.PIPELINE)
          : GitFixtures.writer(GitFixtures.local(Path.of(args[0])), event -> { })
              .release(GitFixtures.release(args[3], Long.parseLong(args[4]), args[5]));
      System.out.println((commit.created() ? "created " : "unchanged ") + commit.sha());
    } catch (GitOpsException e) {
      System.out.println("error " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * The command line that runs this class in a fresh JVM on the packaged jar (target/modelship.jar and its lib/,
   * built before the integration tests) plus the test classes: the template is read from the jar, as in the CLI.
   */
  static List<String> command(String... args) {
    Path target = Path.of("target").toAbsolutePath();
    String classpath = String.join(java.io.File.pathSeparator, target.resolve("modelship.jar").toString(),
        target.resolve("lib").toString() + java.io.File.separator + "*", target.resolve("test-classes").toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, ReleaseProcess.class.getName()));
    command.addAll(Arrays.asList(args));
    return command;
  }
}
