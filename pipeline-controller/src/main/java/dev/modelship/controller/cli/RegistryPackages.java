package dev.modelship.controller.cli;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.training.PackagePusher;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.PackageSource;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The registry as the train, watch-data and validate commands use it: pushing a trained package as the next
 * version, and fetching versions into a local cache ({@code $MODELSHIP_HOME/cache/packages/<name>/<version>},
 * reused when its digest still matches the registry's). The location is chosen when the command line is parsed
 * ({@code --registry}), so the commands hold this object and set it.
 */
final class RegistryPackages implements PackagePusher, PackageSource {
  private final RegistryAccess access;
  private final ModelshipHome home;
  private String location;

  RegistryPackages(RegistryAccess access, ModelshipHome home) {
    this.access = access;
    this.home = home;
  }

  static RegistryPackages fromEnvironment() {
    RegistryAccess access = RegistryAccess.fromEnvironment();
    return new RegistryPackages(access, access.home());
  }

  void location(String registryOption) {
    this.location = registryOption;
  }

  ModelshipHome home() {
    return home;
  }

  @Override
  public ModelVersionRef push(ModelPackage pkg) throws RegistryException {
    String name = ModelManifest.read(pkg.manifestFile()).name();
    return ModelRegistries.publishAsNextVersion(access.open(location), name, pkg).version().ref();
  }

  @Override
  public ModelPackage fetch(ModelVersionRef ref) throws RegistryException {
    ModelRegistry registry = access.open(location);
    PublishedVersion published = registry.find(ref).orElseThrow(() -> new RegistryException(
        RegistryException.Kind.NOT_FOUND, ref + " is not in " + registry.location()));
    Path cached = home.root().resolve("cache").resolve("packages").resolve(ref.name()).resolve(ref.versionText());
    if (Files.isDirectory(cached)) {
      try {
        ModelPackage pkg = ModelPackage.fromDirectory(cached);
        if (pkg.digest().equals(published.digest())) {
          return pkg;
        }
      } catch (RegistryException unusable) {
        // a damaged cache entry is fetched again below
      }
      delete(cached);
    }
    return registry.fetch(ref, cached);
  }

  /**
   * The champion when none is named: the newest earlier version of the model whose stored validation report
   * passed. (Once releases exist, the champion is what production serves.)
   */
  Optional<ModelVersionRef> latestPassedBefore(ModelVersionRef challenger) throws RegistryException, IOException {
    ValidationStore store = ValidationStore.in(home);
    List<PublishedVersion> versions = access.open(location).versions(challenger.name());
    for (PublishedVersion version : versions.stream().sorted(Comparator.comparing(PublishedVersion::ref).reversed())
        .toList()) {
      if (version.ref().version() >= challenger.version()) {
        continue;
      }
      Optional<ValidationReport> report = store.find(version.ref());
      if (report.isPresent() && report.get().outcome() == Outcome.PASSED) {
        return Optional.of(version.ref());
      }
    }
    return Optional.empty();
  }

  private static void delete(Path folder) throws RegistryException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot clear the package cache " + folder + ": "
          + e.getMessage(), e);
    }
  }
}
