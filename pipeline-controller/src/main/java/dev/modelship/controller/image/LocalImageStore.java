package dev.modelship.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The embedded default's image store: built images as OCI archives in {@code .modelship/images/}, released under
 * the repository name {@value #REPOSITORY} so that GitOps manifests hold ordinary image references
 * ({@code modelship.local/serving@sha256:...}), which the local engine resolves here by digest.
 */
public final class LocalImageStore {
  public static final String REPOSITORY = "modelship.local/serving";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  public LocalImageStore(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** Where the build of {@code name-version} writes its archive. */
  public ImageTarget targetFor(String tag) throws IOException {
    Files.createDirectories(directory);
    return new ImageTarget.OciArchive(directory.resolve(tag + ".tar"));
  }

  /** The reference a release records for an image built into this store. */
  public static String pinned(ImageRef built) {
    return REPOSITORY + "@" + built.digest();
  }

  /** The archive holding the image with this manifest digest, if any. */
  public Optional<Path> find(String digest) throws IOException {
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try (Stream<Path> archives = Files.list(directory)) {
      for (Path archive : archives.filter(p -> p.getFileName().toString().endsWith(".tar")).sorted().toList()) {
        if (digest.equals(manifestDigest(archive))) {
          return Optional.of(archive);
        }
      }
    }
    return Optional.empty();
  }

  /** The digest of the one manifest an OCI archive's index names. */
  public static String manifestDigest(Path archive) throws IOException {
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals("index.json")) {
          JsonNode index = JSON.readTree(tar.readAllBytes());
          JsonNode manifests = index.path("manifests");
          if (manifests.size() != 1) {
            throw new IOException(archive + ": index.json lists " + manifests.size() + " manifests, expected one");
          }
          return manifests.get(0).path("digest").asText();
        }
      }
    }
    throw new IOException(archive + " is not an OCI archive (no index.json)");
  }
}
