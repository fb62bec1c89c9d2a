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
  /** Manifests and configs are small; a blob larger than this is a layer. */
  private static final long CONFIG_LIMIT = 4L << 20;

  private final Path directory;
  private final Puller puller;

  /** Fetches an image the store does not hold from where its reference says (a registry) into an OCI archive. */
  @FunctionalInterface
  public interface Puller {
    void pull(String image, Path archive) throws IOException;
  }

  public LocalImageStore(Path directory) {
    this(directory, null);
  }

  private LocalImageStore(Path directory, Puller puller) {
    this.directory = directory;
    this.puller = puller;
  }

  /** This store, pulling images it does not hold (not {@value #REPOSITORY}) with {@code puller}. */
  public LocalImageStore pullingWith(Puller puller) {
    return new LocalImageStore(directory, puller);
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

  /**
   * The archive of an image a release names ({@code modelship.local/serving@sha256:...}), found by its digest.
   *
   * @throws IOException saying why when the reference is not pinned by digest or the store does not hold it
   */
  public Stored resolve(String image) throws IOException {
    int at = image.lastIndexOf('@');
    if (at < 0) {
      throw new IOException("image " + image + " is not pinned by digest; releases deploy name@sha256:...");
    }
    String digest = image.substring(at + 1);
    Optional<Path> found = find(digest);
    if (found.isPresent()) {
      return new Stored(digest, found.get());
    }
    if (puller == null || image.startsWith(REPOSITORY + "@")) {
      throw new IOException("image " + image + " is not in the local image store " + directory + " (the local "
          + "engine runs images built there" + (puller == null ? "" : " or pulled from a registry") + ")");
    }
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IOException("image " + image + " is not pinned by a sha256 digest");
    }
    Files.createDirectories(directory);
    Path archive = directory.resolve("pulled-" + digest.substring(7, 19) + ".tar");
    puller.pull(image, archive);
    String pulled = manifestDigest(archive);
    if (!pulled.equals(digest)) {
      Files.deleteIfExists(archive);
      throw new IOException("pulled " + image + " but the archive holds " + pulled);
    }
    return new Stored(digest, archive);
  }

  /** An image in the store: its manifest digest and the OCI archive holding it. */
  public record Stored(String digest, Path archive) {
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

  /**
   * The config of the one image in an OCI archive (its entrypoint, labels, ...), with the config's digest: what
   * podman and docker show as the image id once the archive is loaded. Read in one pass over the archive; the
   * layers are not read.
   */
  public static ImageConfig config(Path archive) throws IOException {
    java.util.Map<String, byte[]> small = new java.util.HashMap<>();
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (entry.isFile() && entry.getSize() <= CONFIG_LIMIT && (name.equals("index.json")
            || name.startsWith("blobs/"))) {
          small.put(name, tar.readAllBytes());
        }
      }
    }
    byte[] index = small.get("index.json");
    if (index == null) {
      throw new IOException(archive + " is not an OCI archive (no index.json)");
    }
    JsonNode manifests = JSON.readTree(index).path("manifests");
    if (manifests.size() != 1) {
      throw new IOException(archive + ": index.json lists " + manifests.size() + " manifests, expected one");
    }
    JsonNode manifest = JSON.readTree(blob(archive, small, manifests.get(0).path("digest").asText()));
    String configDigest = manifest.path("config").path("digest").asText();
    return new ImageConfig(configDigest, JSON.readTree(blob(archive, small, configDigest)));
  }

  private static byte[] blob(Path archive, java.util.Map<String, byte[]> blobs, String digest) throws IOException {
    byte[] bytes = blobs.get("blobs/" + digest.replace(':', '/'));
    if (bytes == null) {
      throw new IOException(archive + " lacks blob " + digest);
    }
    return bytes;
  }

  /**
   * An image's config.
   *
   * @param digest {@code sha256:...} of the config: the image id
   * @param json the OCI image config
   */
  public record ImageConfig(String digest, JsonNode json) {
    /** A label of the image, or null. */
    public String label(String name) {
      JsonNode value = json.path("config").path("Labels").path(name);
      return value.isTextual() ? value.asText() : null;
    }
  }
}
