package dev.modelship.controller.image;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The podman command line, as the tests use it. Containers run with Debian's runc and explicit ulimits: on this
 * kind of machine podman's default runtime (crun) and the inherited limits fail.
 */
final class Podman {
  static final List<String> RUN_OPTIONS = List.of("--runtime", "/usr/sbin/runc", "--ulimit", "nofile=1024:1024",
      "--ulimit", "nproc=1000:1000");

  private Podman() {
  }

  /** Runs {@code podman ARGS} and returns its output. */
  static String run(Duration timeout, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("podman");
    command.addAll(List.of(args));
    return Commands.run(command, timeout);
  }

  /** Starts {@code image} detached, its port 8080 published on 127.0.0.1:{@code hostPort}; returns the id. */
  static String start(String image, int hostPort) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--detach"));
    args.addAll(RUN_OPTIONS);
    args.addAll(List.of("--publish", "127.0.0.1:" + hostPort + ":8080", image));
    return run(Duration.ofMinutes(2), args.toArray(String[]::new)).trim();
  }

  /** For cleanup: runs {@code podman ARGS}, ignoring failure. */
  static void quietly(String... args) {
    try {
      run(Duration.ofMinutes(1), args);
    } catch (IOException e) {
      // cleanup only; what the test asserted stands
    }
  }
}
