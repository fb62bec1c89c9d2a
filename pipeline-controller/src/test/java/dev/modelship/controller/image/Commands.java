package dev.modelship.controller.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program for a test, with a time limit, and returns what it printed; failing is an IOException. */
final class Commands {
  private Commands() {
  }

  static String run(List<String> command, Duration timeout) throws IOException {
    Path output = Files.createTempFile("modelship-command-", ".out");
    try {
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      } catch (IOException e) {
        throw new IOException(command.get(0) + " is missing: run ./scripts/test, which installs Debian's podman, "
            + "runc and debootstrap packages", e);
      }
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout + ": " + tail(output));
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
            + tail(output));
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String tail(Path output) throws IOException {
    String text = Files.readString(output, StandardCharsets.UTF_8);
    return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
  }
}
