package dev.modelship.controller.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A package that {@link PackageBuilder} assembled in a temporary folder of its own; closing it removes the folder.
 */
public final class BuiltPackage implements AutoCloseable {
  private final ModelPackage pkg;
  private final ModelManifest manifest;
  private final Path temporaryFolder;

  BuiltPackage(ModelPackage pkg, ModelManifest manifest, Path temporaryFolder) {
    this.pkg = pkg;
    this.manifest = manifest;
    this.temporaryFolder = temporaryFolder;
  }

  public ModelPackage pkg() {
    return pkg;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  public String name() {
    return manifest.name();
  }

  @Override
  public void close() {
    try {
      DurableFiles.deleteTree(temporaryFolder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporary package folder " + temporaryFolder, e);
    }
  }
}
