package dev.modelship.controller.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks the serving runtime and model of an image (the {@code /app} and {@code /models} trees of its layers,
 * in layer order) from an OCI archive, checking the manifest digest and every layer's digest, so that what the
 * local engine runs is byte for byte what ships. Base-image files are not needed (the host JVM runs the app) and
 * are skipped. Each image is unpacked once, into {@code cache/<digest>}, atomically.
 */
public final class ImageUnpacker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEPT = List.of("app/", "models/");

  private final Path cache;

  public ImageUnpacker(Path cache) {
    this.cache = cache;
  }

  /** The unpacked root of the image {@code digest} from {@code archive}. */
  public Path unpack(Path archive, String digest) throws IOException {
    Path root = cache.resolve(digest.replace(':', '-'));
    if (Files.isDirectory(root)) {
      return root;
    }
    Files.createDirectories(cache);
    Path staging = Files.createTempDirectory(cache, ".unpacking-");
    try {
      JsonNode index = JSON.readTree(blob(archive, "index.json", null));
      String named = index.path("manifests").path(0).path("digest").asText();
      if (!named.equals(digest)) {
        throw new IOException(archive + " holds image " + named + ", not " + digest);
      }
      JsonNode manifest = JSON.readTree(blob(archive, blobPath(digest), digest));
      for (JsonNode layer : manifest.path("layers")) {
        extractLayer(archive, layer.path("digest").asText(), layer.path("mediaType").asText(), staging);
      }
      if (!Files.isRegularFile(staging.resolve("app/serving-runtime.jar"))) {
        throw new IOException("image " + digest + " has no /app/serving-runtime.jar: not a Modelship serving image");
      }
      Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
      return root;
    } catch (IOException | RuntimeException e) {
      dev.modelship.controller.registry.DurableFiles.deleteTree(staging);
      if (Files.isDirectory(root)) {
        return root; // another unpacker of the same image won the race
      }
      throw e;
    }
  }

  private static String blobPath(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  /** One entry of the archive, its sha256 checked when {@code digest} is given. */
  private static byte[] blob(Path archive, String name, String digest) throws IOException {
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (normalize(entry.getName()).equals(name)) {
          byte[] bytes = tar.readAllBytes();
          if (digest != null && !digest.equals("sha256:" + HexFormat.of().formatHex(sha256().digest(bytes)))) {
            throw new IOException(archive + ": " + name + " does not match its digest");
          }
          return bytes;
        }
      }
    }
    throw new IOException(archive + " has no " + name);
  }

  private static void extractLayer(Path archive, String digest, String mediaType, Path target) throws IOException {
    String name = blobPath(digest);
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream outer = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = outer.getNextEntry()) != null) {
        if (!normalize(entry.getName()).equals(name)) {
          continue;
        }
        MessageDigest sha = sha256();
        DigestInputStream hashed = new DigestInputStream(outer, sha);
        InputStream layer = mediaType.endsWith("gzip") ? new GZIPInputStream(hashed) : hashed;
        extractTree(new TarArchiveInputStream(layer), target, digest);
        hashed.readAllBytes(); // the rest of the blob, so the digest covers all of it
        if (!digest.equals("sha256:" + HexFormat.of().formatHex(sha.digest()))) {
          throw new IOException(archive + ": layer " + digest + " does not match its digest");
        }
        return;
      }
    }
    throw new IOException(archive + " lacks layer " + digest);
  }

  private static void extractTree(TarArchiveInputStream layer, Path target, String digest) throws IOException {
    TarArchiveEntry entry;
    while ((entry = layer.getNextEntry()) != null) {
      String path = normalize(entry.getName());
      if (KEPT.stream().noneMatch(path::startsWith) || path.contains("/.wh.")) {
        continue;
      }
      Path destination = target.resolve(path).normalize();
      if (!destination.startsWith(target) || path.contains("..")) {
        throw new IOException("layer " + digest + " has an entry outside the image root: " + entry.getName());
      }
      if (entry.isDirectory()) {
        Files.createDirectories(destination);
      } else if (entry.isFile()) {
        Files.createDirectories(destination.getParent());
        Files.copy(layer, destination, StandardCopyOption.REPLACE_EXISTING);
      } else {
        throw new IOException("layer " + digest + " has a link or special file in the app or models: "
            + entry.getName());
      }
    }
  }

  private static String normalize(String name) {
    String path = name.startsWith("./") ? name.substring(2) : name;
    return path.startsWith("/") ? path.substring(1) : path;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
