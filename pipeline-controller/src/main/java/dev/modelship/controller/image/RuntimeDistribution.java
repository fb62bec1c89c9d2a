package dev.modelship.controller.image;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The serving runtime as Maven packages it ({@code serving-runtime/target}): the thin {@code serving-runtime.jar}
 * and the jars its manifest's {@code Class-Path} names under {@code lib/}. Exactly those jars go into the image, so
 * stray files in {@code lib/} never change an image.
 *
 * @param directory the folder holding {@code serving-runtime.jar}
 * @param dependencies the {@code Class-Path} jars, in manifest order
 * @param version the runtime's {@code Implementation-Version}, or {@code unknown}
 */
public record RuntimeDistribution(Path directory, List<Path> dependencies, String version) {
  public static final String JAR = "serving-runtime.jar";
  public static final String DIR_ENV = "MODELSHIP_RUNTIME_DIR";
  private static final String GPU_ORT = "onnxruntime_gpu-";
  private static final String CPU_ORT = "onnxruntime-";

  public RuntimeDistribution {
    dependencies = List.copyOf(dependencies);
  }

  /** Which ONNX Runtime build the distribution carries. */
  public enum OrtBuild { CPU, GPU }

  public Path jar() {
    return directory.resolve(JAR);
  }

  /** Relative to {@link #directory()}, as the jar's manifest names them ({@code lib/x.jar}). */
  public List<String> dependencyPaths() {
    return dependencies.stream().map(path -> directory.relativize(path).toString().replace('\\', '/')).toList();
  }

  /** CPU or GPU ONNX Runtime, from which {@code onnxruntime} jar the runtime's class path names. */
  public OrtBuild ortBuild() throws ImageBuildException {
    Set<OrtBuild> found = new LinkedHashSet<>();
    for (Path dependency : dependencies) {
      String name = dependency.getFileName().toString();
      if (name.startsWith(GPU_ORT)) {
        found.add(OrtBuild.GPU);
      } else if (name.startsWith(CPU_ORT)) {
        found.add(OrtBuild.CPU);
      }
    }
    if (found.size() != 1) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "the serving runtime in " + directory + " has "
          + (found.isEmpty() ? "no" : "both a CPU and a GPU") + " ONNX Runtime jar on its class path; rebuild it "
          + "(mvn -DskipTests package, or mvn -Pgpu -DskipTests package for the GPU build)");
    }
    return found.iterator().next();
  }

  /** Reads the distribution in {@code directory}: the jar must be there, and every jar its manifest names. */
  public static RuntimeDistribution at(Path directory) throws ImageBuildException {
    Path jar = directory.resolve(JAR);
    if (!Files.isRegularFile(jar)) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "no serving runtime in " + directory + ": "
          + JAR + " is missing (build it with mvn -DskipTests package)");
    }
    Attributes manifest;
    try (JarFile file = new JarFile(jar.toFile())) {
      manifest = file.getManifest() == null ? new Attributes() : file.getManifest().getMainAttributes();
    } catch (IOException e) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "cannot read " + jar + ": " + e.getMessage(), e);
    }
    String classPath = manifest.getValue(Attributes.Name.CLASS_PATH);
    if (classPath == null || classPath.isBlank()) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, jar + " has no Class-Path in its manifest: it "
          + "is not the thin jar serving-runtime's Maven build makes");
    }
    List<Path> dependencies = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String entry : classPath.trim().split("\\s+")) {
      Path dependency = directory.resolve(entry).normalize();
      if (!dependency.startsWith(directory) || !Files.isRegularFile(dependency)) {
        missing.add(entry);
      } else {
        dependencies.add(dependency);
      }
    }
    if (!missing.isEmpty()) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "the serving runtime in " + directory
          + " is incomplete: " + missing.size() + " jar(s) of its class path are missing, e.g. " + missing.get(0)
          + " (rebuild it with mvn -DskipTests package)");
    }
    String version = manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    return new RuntimeDistribution(directory, dependencies, version == null ? "unknown" : version);
  }

  /**
   * Finds the runtime: {@code $MODELSHIP_RUNTIME_DIR} when set (and then only there); else
   * {@code serving-runtime/target} in the nearest folder above the controller's own code (this repository's
   * layout), else in the working directory.
   *
   * @param controllerCode where the controller's classes or jar are, if known
   */
  public static RuntimeDistribution locate(Map<String, String> env, Path workingDirectory,
                                           Optional<Path> controllerCode) throws ImageBuildException {
    String configured = env.get(DIR_ENV);
    if (configured != null && !configured.isBlank()) {
      return at(Path.of(configured).toAbsolutePath().normalize());
    }
    List<Path> candidates = new ArrayList<>();
    controllerCode.ifPresent(code -> {
      for (Path folder = code.toAbsolutePath().normalize().getParent(); folder != null; folder = folder.getParent()) {
        candidates.add(folder.resolve("serving-runtime").resolve("target"));
      }
    });
    candidates.add(workingDirectory.toAbsolutePath().normalize().resolve("serving-runtime").resolve("target"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate.resolve(JAR))) {
        return at(candidate);
      }
    }
    throw new ImageBuildException(ImageBuildException.Kind.INVALID, "cannot find the serving runtime (" + JAR
        + " and its lib/): set " + DIR_ENV + " to its folder, or build this repository (mvn -DskipTests package). "
        + "Looked in " + String.join(", ", candidates.stream().map(Path::toString).distinct().toList()));
  }

  /** Where this controller's classes were loaded from, for {@link #locate}. */
  public static Optional<Path> controllerCode() {
    try {
      var source = RuntimeDistribution.class.getProtectionDomain().getCodeSource();
      return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
