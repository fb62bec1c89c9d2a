package dev.modelship.serving.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a model runs: {@code auto} (CUDA when available, else CPU), {@code cpu}, or {@code cuda[:N]}. */
public record DeviceSpec(Kind kind, int cudaDevice) {
  public enum Kind { AUTO, CPU, CUDA }

  private static final Pattern CUDA = Pattern.compile("cuda(?::([0-9]{1,3}))?");

  public static DeviceSpec auto() {
    return new DeviceSpec(Kind.AUTO, 0);
  }

  public static DeviceSpec cpu() {
    return new DeviceSpec(Kind.CPU, 0);
  }

  public static Optional<DeviceSpec> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    if (trimmed.equals("auto")) {
      return Optional.of(auto());
    }
    if (trimmed.equals("cpu")) {
      return Optional.of(cpu());
    }
    Matcher cuda = CUDA.matcher(trimmed);
    if (cuda.matches()) {
      return Optional.of(new DeviceSpec(Kind.CUDA, cuda.group(1) == null ? 0 : Integer.parseInt(cuda.group(1))));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    switch (kind) {
      case AUTO: return "auto";
      case CPU: return "cpu";
      default: return "cuda:" + cudaDevice;
    }
  }
}
