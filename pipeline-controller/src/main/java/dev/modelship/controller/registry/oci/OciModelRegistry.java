package dev.modelship.controller.registry.oci;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Model versions as OCI artifacts in one repository of an OCI registry, one tag per version ({@code clicks-3}). See
 * {@link dev.modelship.controller.registry.oci the package documentation} for the layout and media types.
 */
public final class OciModelRegistry implements ModelRegistry {
  private final OciRegistryAddress address;
  private final OciRegistryOptions options;
  private final Clock clock;
  private final DistributionApi api;

  /** The backend {@code ModelRegistries.open} uses for an {@code oci://} location. */
  public static OciModelRegistry open(dev.modelship.controller.registry.RegistryLocation location,
                                      dev.modelship.controller.registry.RegistryOptions options) {
    return new OciModelRegistry(new OciRegistryAddress(location.host(), location.port() == null ? 443
        : location.port(), location.repository()), new OciRegistryOptions(options.allowInsecureHttp(),
        options.username(), options.password(), options.timeout()));
  }

  public OciModelRegistry(OciRegistryAddress address, OciRegistryOptions options) {
    this(address, options, OciClientContext.system());
  }

  public OciModelRegistry(OciRegistryAddress address, OciRegistryOptions options, OciClientContext context) {
    this.address = address;
    this.options = options;
    this.clock = context.clock();
    this.api = new DistributionApi(new RegistryHttp(address, options,
        () -> CredentialLookup.find(address, options, context.environment(), context.dockerConfig())));
  }

  @Override
  public String location() {
    return address.toString();
  }

  /**
   * Uploads the files as blobs, then the manifest under the version's tag: until that last request nothing is
   * visible, so a publish that fails midway leaves no version (only unreferenced blobs, which the registry's
   * garbage collection removes).
   */
  @Override
  public PublishOutcome publish(ModelVersionRef ref, ModelPackage pkg) throws RegistryException {
    String tag = VersionTags.tagOf(ref);
    String declared = ModelManifest.read(pkg.manifestFile()).name();
    if (!declared.equals(ref.name())) {
      throw new RegistryException(Kind.INVALID, "cannot publish " + pkg.directory() + " as " + ref + ": its "
          + ModelPackage.MANIFEST_FILE + " names the model '" + declared + "'");
    }
    Optional<PublishedVersion> existing = find(ref);
    if (existing.isPresent()) {
      if (existing.get().digest().equals(pkg.digest())) {
        return new PublishOutcome(existing.get(), false);
      }
      throw new RegistryException(Kind.CONFLICT, ref + " already exists in " + location() + " with package "
          + existing.get().digest() + "; this package is " + pkg.digest() + ". Versions are immutable: publish it "
          + "as a new version");
    }
    ModelArtifact artifact;
    try {
      artifact = ModelArtifact.of(ref, pkg, clock.instant());
    } catch (IOException e) {
      throw new RegistryException(Kind.INVALID, "cannot read " + pkg.directory() + ": " + e.getMessage(), e);
    }
    pushBlobIfMissing(ModelArtifact.EMPTY_CONFIG_DIGEST,
        HttpRequest.BodyPublishers.ofByteArray(ModelArtifact.EMPTY_CONFIG), "the empty config of " + ref);
    for (ModelArtifact.Layer layer : artifact.layers()) {
      pushBlobIfMissing(layer.digest(), filePublisher(pkg.file(layer.fileName())), layer.fileName() + " of " + ref);
    }
    api.putManifest(tag, artifact.manifestJson());
    return new PublishOutcome(artifact.publishedVersion(), true);
  }

  /** Model names with at least one version, sorted. */
  @Override
  public List<String> models() throws RegistryException {
    return VersionTags.refsOf(api.tags()).stream().map(ModelVersionRef::name).distinct().toList();
  }

  @Override
  public List<PublishedVersion> versions(String name) throws RegistryException {
    List<PublishedVersion> versions = new ArrayList<>();
    for (ModelVersionRef ref : VersionTags.refsOf(api.tags())) {
      if (ref.name().equals(name)) {
        versions.add(find(ref).orElseThrow(() -> new RegistryException(Kind.UNAVAILABLE, "OCI registry "
            + address.authority() + " lists the tag of " + ref + " but has no manifest for it")));
      }
    }
    return versions;
  }

  @Override
  public Optional<PublishedVersion> find(ModelVersionRef ref) throws RegistryException {
    return artifact(ref).map(ModelArtifact::publishedVersion);
  }

  /**
   * Downloads every layer into a staging folder beside {@code directory}, checking each blob's size and digest and
   * the package digest, and only then moves the files into place.
   */
  @Override
  public ModelPackage fetch(ModelVersionRef ref, Path directory) throws RegistryException {
    try (FetchStaging staging = FetchStaging.open(directory)) {
      ModelArtifact artifact = artifact(ref).orElseThrow(() -> new RegistryException(Kind.NOT_FOUND,
          ref + " is not in " + location()));
      for (ModelArtifact.Layer layer : artifact.layers()) {
        api.downloadBlob(layer.digest(), layer.size(), staging.folder().resolve(layer.fileName()),
            layer.fileName() + " of " + ref);
      }
      ModelPackage staged = ModelPackage.fromDirectory(staging.folder());
      if (!staged.digest().equals(artifact.packageDigest())) {
        throw new RegistryException(Kind.INVALID, "the files fetched for " + ref + " from " + location()
            + " have package digest " + staged.digest() + ", not " + artifact.packageDigest());
      }
      return ModelPackage.fromDirectory(staging.commit());
    }
  }

  private Optional<ModelArtifact> artifact(ModelVersionRef ref) throws RegistryException {
    Optional<byte[]> manifest = api.manifest(VersionTags.tagOf(ref));
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ModelArtifact.parse(manifest.get(), ref, ref + " in " + location(), options.maxBlobBytes()));
  }

  private void pushBlobIfMissing(String digest, HttpRequest.BodyPublisher content, String what)
      throws RegistryException {
    if (!api.hasBlob(digest)) {
      api.pushBlob(digest, content, what);
    }
  }

  private static HttpRequest.BodyPublisher filePublisher(Path file) throws RegistryException {
    try {
      return HttpRequest.BodyPublishers.ofFile(file);
    } catch (java.io.FileNotFoundException e) {
      throw new RegistryException(Kind.INVALID, "cannot read " + file + ": it is gone", e);
    }
  }
}
