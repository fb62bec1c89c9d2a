package dev.modelship.controller.rollout.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command line, as the podman engine uses it: each call has a time limit, and its output goes to
 * files, so a podman that hangs cannot block a read and the limit always applies.
 */
final class PodmanCli {
  static final String INSTALL = "install podman and runc (Debian, Ubuntu: sudo apt-get install podman runc; "
      + "Fedora: sudo dnf install podman runc)";

  private final Path executable;

  private PodmanCli(Path executable) {
    this.executable = executable;
  }

  /**
   * The podman to run: {@code podman} as given if it names a file, else the first {@code podman} on {@code PATH}.
   *
   * @throws IllegalStateException saying how to install podman when there is none
   */
  static PodmanCli locate(String podman, Map<String, String> env) {
    if (podman.contains(File.separator)) {
      Path given = Path.of(podman);
      if (!Files.isExecutable(given)) {
        throw new IllegalStateException(podman + " is not an executable podman: --engine podman runs each instance "
            + "as a podman container; " + INSTALL + ", or set " + PodmanInstanceLauncher.Options.PODMAN_ENV);
      }
      return new PodmanCli(given);
    }
    for (String folder : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, podman))) {
        return new PodmanCli(Path.of(folder, podman));
      }
    }
    throw new IllegalStateException(podman + " is not on PATH: --engine podman runs each instance as a podman "
        + "container; " + INSTALL + ", or use --engine process");
  }

  /** Runs {@code podman ARGS} and returns what it printed on stdout; failing is an IOException quoting stderr. */
  String run(Duration timeout, List<String> args) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(executable.toString());
    line.addAll(args);
    Path output = Files.createTempFile("modelship-podman", ".out");
    Path errors = Files.createTempFile("modelship-podman", ".err");
    try {
      Process process = new ProcessBuilder(line).redirectOutput(output.toFile()).redirectError(errors.toFile())
          .start();
      process.getOutputStream().close();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException stopping) {
        process.destroyForcibly();
        throw stopping;
      }
      if (!finished) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IOException(describe(args) + " did not finish within " + timeout.toSeconds() + " s: stopped it");
      }
      if (process.exitValue() != 0) {
        String why = Files.readString(errors, StandardCharsets.UTF_8).strip();
        throw new IOException(describe(args) + " exited with " + process.exitValue() + (why.isEmpty() ? "" : ": "
            + why));
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(output);
      Files.deleteIfExists(errors);
    }
  }

  /** Like {@link #run}, but a failure is an answer: false. */
  boolean succeeds(Duration timeout, List<String> args) throws InterruptedException {
    try {
      run(timeout, args);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String describe(List<String> args) {
    return "podman " + String.join(" ", args.subList(0, Math.min(args.size(), 3)))
        + (args.size() > 3 ? " ..." : "");
  }
}
