package dev.modelship.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.image.ImageBuildEvent;
import dev.modelship.controller.image.ImageBuildException;
import dev.modelship.controller.image.ImageBuildListener;
import dev.modelship.controller.image.ImageBuilder;
import dev.modelship.controller.image.ImagePlatform;
import dev.modelship.controller.image.ImageRef;
import dev.modelship.controller.image.ImageRequest;
import dev.modelship.controller.image.ImageTarget;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship build-image}: builds and pushes a model version's serving image; a thin face on ImageBuilder. */
@Command(name = "build-image", mixinStandardHelpOptions = true,
    description = {"Build the serving image of a model version with Jib: the base image, the serving runtime's "
        + "dependencies, the runtime, and the model under /models/<name>/<version>, tagged <name>-<version>. "
        + "Prints the image by digest (what a release deploys). The same version built again gives the same digest.",
        "Credentials: $MODELSHIP_IMAGE_REGISTRY_USERNAME/_PASSWORD (target), $MODELSHIP_BASE_REGISTRY_USERNAME/"
            + "_PASSWORD (base), else the Docker config (docker login, credential helpers).",
        "Exit status: 0 built, 1 not built (the reason is printed), 2 wrong usage."})
public final class BuildImageCommand implements Callable<Integer> {
  public static final String INSECURE_ENV = "MODELSHIP_IMAGE_INSECURE_REGISTRIES";

  @Parameters(index = "0", paramLabel = "NAME:VERSION", description = "The model version, from the registry.")
  String ref;

  @Option(names = "--to", required = true, paramLabel = "REPOSITORY|oci-archive:PATH",
      description = "Where the image goes: a repository (127.0.0.1:5000/serving, ghcr.io/team/serving), or an OCI "
          + "image layout archive.")
  String to;

  @Option(names = "--base", paramLabel = "IMAGE", description = "Base image with Java 17 (default: "
      + "$MODELSHIP_BASE_IMAGE, else eclipse-temurin:17-jre; with --gpu: $MODELSHIP_GPU_BASE_IMAGE). Pin it by "
      + "digest for builds that stay reproducible over time.")
  String base;

  @Option(names = "--platform", paramLabel = "OS/ARCH", defaultValue = "linux/amd64",
      description = "linux/amd64 (default) or linux/arm64.")
  String platform;

  @Option(names = "--gpu", description = "A CUDA image: needs the runtime built with -Pgpu and a CUDA 12 + cuDNN 9 "
      + "base (see docs/image.md).")
  boolean gpu;

  @Option(names = "--tag", paramLabel = "TAG", description = "An extra tag (repeatable).")
  List<String> extraTags = new ArrayList<>();

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]", description = "Allow plain HTTP or an "
      + "unverified certificate for this registry (repeatable; also $" + INSECURE_ENV + ", comma-separated). Only "
      + "for development registries you trust.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--registry", paramLabel = "URL", description = "The model registry (default: $MODELSHIP_REGISTRY, "
      + "else the registry in the Modelship home).")
  String registry;

  @Option(names = "--json", description = "Print the image as JSON (name, tag, digest, pinned).")
  boolean json;

  @Option(names = "--verbose", description = "Also show Jib's informational messages (base image digest, ...).")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Makes the image builder; only when the command runs, so --help works without a runtime on disk. */
  @FunctionalInterface
  public interface Builders {
    ImageBuilder open() throws ImageBuildException;
  }

  private final RegistryAccess access;
  private final Map<String, String> env;
  private final Builders builders;

  public BuildImageCommand() {
    this(RegistryAccess.fromEnvironment(), System.getenv(), null);
  }

  /** @param builders null for {@link ImageBuilder#fromEnvironment} on the access's home and {@code env} */
  public BuildImageCommand(RegistryAccess access, Map<String, String> env, Builders builders) {
    this.access = access;
    this.env = Map.copyOf(env);
    this.builders = builders != null ? builders : () -> ImageBuilder.fromEnvironment(access.home(), this.env);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModelVersionRef version;
    ImageTarget target;
    ImagePlatform imagePlatform;
    try {
      version = ModelVersionRef.parse(ref);
      target = ImageTarget.parse(to);
      imagePlatform = ImagePlatform.parse(platform);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    try {
      ImageBuilder builder = builders.open();
      ImageRequest request = request(version, target, imagePlatform);
      ImageRef image = builder.build(request, new Progress(err, verbose));
      out.println(json ? toJson(image) : image.pinned());
      out.flush();
      return CommandLine.ExitCode.OK;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } catch (RegistryException | ImageBuildException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  private ImageRequest request(ModelVersionRef version, ImageTarget target, ImagePlatform imagePlatform)
      throws RegistryException {
    ModelRegistry models = access.open(registry);
    PublishedVersion published = models.find(version).orElseThrow(() -> new RegistryException(
        RegistryException.Kind.NOT_FOUND, version + " is not in " + models.location()));
    RegistryPackages packages = new RegistryPackages(access, access.home());
    packages.location(registry);
    ModelPackage pkg = packages.fetch(version);
    return ImageRequest.of(published, pkg, models.location(), target).withBaseImage(base).withPlatform(imagePlatform)
        .withGpu(gpu).withExtraTags(extraTags).withInsecureRegistries(insecure());
  }

  private Set<String> insecure() {
    return insecureRegistries(insecureRegistries, env);
  }

  /** The registries given as insecure on the command line and in {@code $MODELSHIP_IMAGE_INSECURE_REGISTRIES}. */
  public static Set<String> insecureRegistries(java.util.Collection<String> flags, Map<String, String> env) {
    Set<String> registries = new TreeSet<>(flags);
    String configured = env.get(INSECURE_ENV);
    if (configured != null) {
      registries.addAll(Arrays.stream(configured.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList());
    }
    return registries;
  }

  private static String toJson(ImageRef image) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", image.name());
    fields.put("tag", image.tag());
    fields.put("digest", image.digest());
    fields.put("pinned", image.pinned());
    try {
      return new ObjectMapper().writeValueAsString(fields);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the image as JSON", e);
    }
  }

  /**
   * The build's events as lines on standard error: layer pushes, every 10% of progress, warnings (and with
   * {@code verbose} Jib's informational messages).
   */
  static final class Progress implements ImageBuildListener {
    private final PrintWriter err;
    private final boolean verbose;
    private int lastTenth = -1;

    Progress(PrintWriter err, boolean verbose) {
      this.err = err;
      this.verbose = verbose;
    }

    @Override
    public void onEvent(ImageBuildEvent event) {
      if (event instanceof ImageBuildEvent.Started started) {
        err.println("building " + started.model() + " on " + started.baseImage() + " -> " + started.target());
      } else if (event instanceof ImageBuildEvent.BlobPushing pushing) {
        err.println("pushing " + shortDigest(pushing.digest()) + " (" + size(pushing.bytes()) + ")");
      } else if (event instanceof ImageBuildEvent.BlobAlreadyPresent present) {
        err.println(shortDigest(present.digest()) + " already in the registry");
      } else if (event instanceof ImageBuildEvent.Progress progress) {
        int tenth = (int) Math.floor(progress.fraction() * 10);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          err.println("progress " + tenth * 10 + "%");
        }
      } else if (event instanceof ImageBuildEvent.Note note) {
        if (note.level() != ImageBuildEvent.Level.INFO) {
          err.println(note.level().name().toLowerCase(Locale.ROOT) + ": " + note.message());
        } else if (verbose) {
          err.println(note.message());
        }
      } else if (event instanceof ImageBuildEvent.Finished finished) {
        err.println("built " + finished.image());
      }
      err.flush();
    }

    private static String shortDigest(String digest) {
      return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    private static String size(long bytes) {
      return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
          : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
  }
}
