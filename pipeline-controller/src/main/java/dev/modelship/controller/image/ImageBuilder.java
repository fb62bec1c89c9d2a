package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The image build stage: a model version becomes a serving image, with Jib Core. The base image, then the serving
 * runtime's dependency jars, the runtime jar and the model, each its own layer (see {@link ImageLayers}); the
 * container set up by {@link ServingContainer}. The same request always gives the same digest, so building again
 * finds the image already there and returns the same {@link ImageRef}: safe to repeat after a crash.
 *
 * <p>A failed build returns no {@link ImageRef}: a registry target gets its tag only once every blob is pushed,
 * and an archive target is written to a temporary file that replaces the target only when complete.
 */
public final class ImageBuilder {
  private static final String ARCHIVE_IMAGE_NAME = "modelship/serving";
  private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(10);

  private final RuntimeDistribution runtime;
  private final BaseImages baseImages;
  private final CredentialSources credentials;
  private final Path cache;
  private final String toolVersion;

  /**
   * @param env where registry credentials ({@link CredentialSources}) and {@code DOCKER_CONFIG} are read
   * @param userHome where {@code .docker/config.json} is looked for
   * @param cache where Jib keeps base image layers and built layers between builds (safe to share between
   *     processes; a built layer is reused when its files have the same paths and modification times)
   * @param toolVersion this controller's version; recorded in the image history, so part of the image's identity
   */
  public ImageBuilder(RuntimeDistribution runtime, BaseImages baseImages, Map<String, String> env, Path userHome,
                      Path cache, String toolVersion) {
    this.runtime = runtime;
    this.baseImages = baseImages;
    this.credentials = new CredentialSources(env, userHome);
    this.cache = cache;
    this.toolVersion = toolVersion;
  }

  /** With the runtime {@link RuntimeDistribution#locate located}, settings from the environment, caches in the home. */
  public static ImageBuilder fromEnvironment(ModelshipHome home, Map<String, String> env) throws ImageBuildException {
    RuntimeDistribution runtime = RuntimeDistribution.locate(env, Path.of(""), RuntimeDistribution.controllerCode());
    String version = ImageBuilder.class.getPackage().getImplementationVersion();
    return new ImageBuilder(runtime, BaseImages.fromEnvironment(env), env, Path.of(System.getProperty("user.home")),
        home.root().resolve("cache").resolve("jib"), version == null ? "dev" : version);
  }

  public RuntimeDistribution runtime() {
    return runtime;
  }

  public ImageRef build(ImageRequest request) throws ImageBuildException {
    return build(request, ImageBuildListener.ignoring());
  }

  public ImageRef build(ImageRequest request, ImageBuildListener listener) throws ImageBuildException {
    String base = baseImages.choose(request.baseImage(), request.gpu(), request.platform(), runtime.ortBuild(),
        runtime.directory().toString());
    if (request.target() instanceof ImageTarget.OciArchive && !request.extraTags().isEmpty()) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "extra tags apply to registry targets only; "
          + "an archive holds one image, tagged " + request.tag());
    }
    ImageReference baseReference = reference(base, "base image");
    for (String registry : registries(request, baseReference)) {
      if (!request.allowsInsecure(registry)) {
        new TlsPreflight(PREFLIGHT_TIMEOUT).check(registry);
      }
    }
    Redactor redactor = new Redactor();
    JibEventBridge events = new JibEventBridge(listener, redactor, request::allowsInsecure);
    JibFailures failures = new JibFailures(base, request.target().name(), credentialHelp(), redactor);
    events.emit(new ImageBuildEvent.Started(request.model(), base, request.target().name()));
    Path staging = createStaging();
    Path partialArchive = request.target() instanceof ImageTarget.OciArchive archive ? partial(archive) : null;
    try {
      JibContainerBuilder container = container(request, baseReference, staging, redactor, events);
      JibContainer built = container.containerize(containerizer(request, baseReference, partialArchive, redactor,
          events));
      events.finished();
      ImageRef image = new ImageRef(request.target().name(), request.tag(), built.getDigest().toString());
      if (request.target() instanceof ImageTarget.OciArchive archive) {
        Files.move(partialArchive, archive.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      events.emit(new ImageBuildEvent.Finished(image));
      return image;
    } catch (ExecutionException | com.google.cloud.tools.jib.api.RegistryException | IOException
             | CacheDirectoryCreationException
             | JibEventBridge.InsecureConnectionRefused e) {
      throw failures.translate(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException(ImageBuildException.Kind.UNAVAILABLE, "the image build was interrupted", e);
    } finally {
      delete(staging);
      if (partialArchive != null) {
        delete(partialArchive);
      }
    }
  }

  private JibContainerBuilder container(ImageRequest request, ImageReference base, Path staging, Redactor redactor,
                                        JibEventBridge events) throws ImageBuildException {
    ModelPackage pkg = request.pkg();
    ModelManifest manifest;
    try {
      manifest = ModelManifest.read(pkg.manifestFile());
    } catch (RegistryException e) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, e.getMessage(), e);
    }
    if (!manifest.name().equals(request.model().name())) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, pkg.directory() + " holds model '"
          + manifest.name() + "', not " + request.model().name());
    }
    Optional<Path> servingConfig = ServingModelConfig.write(manifest, staging);
    String modelSha256 = pkg.fileDigests().get(ModelPackage.MODEL_FILE).substring("sha256:".length());
    ServingContainer serving = ServingContainer.of(request, runtime, modelSha256, base.toString());
    RegistryImage baseImage = RegistryImage.named(base);
    for (CredentialRetriever retriever : credentials.forBase(base, redactor, events::accept)) {
      baseImage.addCredentialRetriever(retriever);
    }
    return Jib.from(baseImage)
        .setFileEntriesLayers(ImageLayers.of(runtime, pkg.modelFile(), servingConfig,
            ServingContainer.modelDirectory(request)))
        .setEntrypoint(serving.entrypoint())
        .setProgramArguments(List.of())
        .setUser(serving.user())
        .setWorkingDirectory(AbsoluteUnixPath.get(serving.workingDirectory()))
        .setExposedPorts(Set.of(Port.tcp(serving.port())))
        .setLabels(serving.labels())
        .setCreationTime(request.created())
        .setPlatforms(Set.of(new Platform(request.platform().architecture(), request.platform().os())))
        .setFormat(ImageFormat.OCI);
  }

  private Containerizer containerizer(ImageRequest request, ImageReference base, Path partialArchive,
                                      Redactor redactor, JibEventBridge events) throws ImageBuildException {
    Containerizer containerizer;
    if (request.target() instanceof ImageTarget.Repository repository) {
      ImageReference targetReference = repository.withTag(request.tag());
      RegistryImage target = RegistryImage.named(targetReference);
      for (CredentialRetriever retriever : credentials.forTarget(targetReference, redactor, events::accept)) {
        target.addCredentialRetriever(retriever);
      }
      containerizer = Containerizer.to(target);
      request.extraTags().forEach(containerizer::withAdditionalTag);
    } else {
      containerizer = Containerizer.to(TarImage.at(partialArchive)
          .named(ImageReference.of(null, ARCHIVE_IMAGE_NAME, request.tag())));
    }
    boolean insecure = registries(request, base).stream().anyMatch(request::allowsInsecure);
    return containerizer
        .setAllowInsecureRegistries(insecure)
        .setBaseImageLayersCache(cache.resolve("base-layers"))
        .setApplicationLayersCache(cache.resolve("application-layers"))
        .setToolName("modelship")
        .setToolVersion(toolVersion)
        .addEventHandler(events);
  }

  /** The registries a build talks to: the base image's, and the target's unless it is an archive. */
  private static Set<String> registries(ImageRequest request, ImageReference base) {
    Set<String> registries = new TreeSet<>();
    registries.add(base.getRegistry());
    if (request.target().registry() != null) {
      registries.add(request.target().registry());
    }
    return registries;
  }

  private String credentialHelp() {
    return "$" + CredentialSources.TARGET_USERNAME_ENV + " and $" + CredentialSources.TARGET_PASSWORD_ENV
        + " for the target ($" + CredentialSources.BASE_USERNAME_ENV + " and $" + CredentialSources.BASE_PASSWORD_ENV
        + " for the base), else " + credentials.dockerConfig() + " (docker login)";
  }

  private static ImageReference reference(String reference, String what) throws ImageBuildException {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "the " + what + " '" + reference
          + "' is not an image reference (e.g. eclipse-temurin:17-jre, registry:5000/repo@sha256:...)", e);
    }
  }

  private static Path createStaging() throws ImageBuildException {
    try {
      return Files.createTempDirectory("modelship-image-");
    } catch (IOException e) {
      throw new ImageBuildException(ImageBuildException.Kind.UNAVAILABLE, "cannot create a temporary folder for the "
          + "image build: " + e.getMessage(), e);
    }
  }

  /** Beside the archive, so the final rename stays on one file system and is atomic. */
  private static Path partial(ImageTarget.OciArchive archive) throws ImageBuildException {
    Path folder = archive.file().getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "cannot write " + archive.file() + ": the "
          + "folder " + folder + " does not exist");
    }
    return folder.resolve("." + archive.file().getFileName() + ".partial-" + ProcessHandle.current().pid() + "-"
        + System.nanoTime());
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a leftover temporary folder is harmless; the build's outcome stands
    }
  }
}
