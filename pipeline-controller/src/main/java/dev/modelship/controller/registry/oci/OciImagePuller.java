package dev.modelship.controller.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.image.LocalImageStore;
import dev.modelship.controller.registry.RegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pulls a container image pinned by digest ({@code host[:port]/repository@sha256:...}) from an OCI registry into
 * an OCI archive, byte for byte: the manifest, the config and the layers, each checked against its digest, so the
 * local engine runs exactly what was released. Credentials come from {@code MODELSHIP_REGISTRY_USERNAME} /
 * {@code _PASSWORD} or the Docker config, as for the model registry; plain HTTP only for the registries listed as
 * insecure. An image index (several platforms) is refused: releases pin the platform manifest.
 */
public final class OciImagePuller implements LocalImageStore.Puller {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PINNED = Pattern.compile("([^/@]+)/([^@]+)@(sha256:[0-9a-f]{64})");

  private final Set<String> insecureRegistries;
  private final OciClientContext context;

  /** @param insecureRegistries registries ({@code host[:port]}) that may be reached over plain HTTP */
  public OciImagePuller(Set<String> insecureRegistries, OciClientContext context) {
    this.insecureRegistries = Set.copyOf(insecureRegistries);
    this.context = context;
  }

  @Override
  public void pull(String image, Path archive) throws IOException {
    Matcher pinned = PINNED.matcher(image);
    if (!pinned.matches() || !(pinned.group(1).contains(".") || pinned.group(1).contains(":")
        || pinned.group(1).equals("localhost"))) {
      throw new IOException("cannot pull " + image + ": the local engine pulls images named "
          + "HOST[:PORT]/REPOSITORY@sha256:<64 hex>");
    }
    String authority = pinned.group(1);
    String repository = pinned.group(2).replaceFirst(":[^/:]+$", ""); // a tag before the digest is only a name
    String digest = pinned.group(3);
    OciRegistryAddress address;
    try {
      address = OciRegistryAddress.parse(authority + "/" + repository);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot pull " + image + ": " + e.getMessage(), e);
    }
    OciRegistryOptions options = new OciRegistryOptions(insecureRegistries.contains(authority), null, null,
        OciRegistryOptions.DEFAULT_TIMEOUT);
    DistributionApi api = new DistributionApi(new RegistryHttp(address, options,
        () -> CredentialLookup.find(address, options, context.environment(), context.dockerConfig())));
    Path staging = Files.createTempDirectory(archive.getParent(), ".pull-");
    try {
      DistributionApi.ImageManifest manifest = api.imageManifest(digest).orElseThrow(() -> new IOException(
          "cannot pull " + image + ": the registry has no manifest " + digest));
      JsonNode parsed = JSON.readTree(manifest.bytes());
      if (parsed.has("manifests")) {
        throw new IOException("cannot pull " + image + ": it is an image index (several platforms); release the "
            + "digest of one platform's manifest");
      }
      String mediaType = manifest.mediaType().isEmpty() ? parsed.path("mediaType").asText() : manifest.mediaType();
      List<JsonNode> blobs = new ArrayList<>();
      blobs.add(parsed.path("config"));
      parsed.path("layers").forEach(blobs::add);
      if (blobs.get(0).path("digest").asText().isEmpty() || parsed.path("layers").isEmpty()) {
        throw new IOException("cannot pull " + image + ": its manifest names no config or no layers");
      }
      Map<String, Path> files = new LinkedHashMap<>();
      files.put(digest, Files.write(staging.resolve("manifest"), manifest.bytes()));
      int n = 0;
      for (JsonNode blob : blobs) {
        String blobDigest = blob.path("digest").asText();
        if (!blobDigest.matches("sha256:[0-9a-f]{64}") || !blob.path("size").canConvertToLong()) {
          throw new IOException("cannot pull " + image + ": its manifest lists a blob without a sha256 digest "
              + "and size: " + blob);
        }
        if (!files.containsKey(blobDigest)) {
          Path target = staging.resolve("blob-" + n++);
          api.downloadBlob(blobDigest, blob.path("size").asLong(), target, "blob " + blobDigest + " of " + image);
          files.put(blobDigest, target);
        }
      }
      byte[] index = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(Map.of(
          "mediaType", mediaType, "digest", digest, "size", manifest.bytes().length))));
      Path partial = staging.resolve("image.tar");
      try (OutputStream out = Files.newOutputStream(partial);
           TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        entry(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        entry(tar, "index.json", index);
        for (Map.Entry<String, Path> file : files.entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry("blobs/" + file.getKey().replace(':', '/'));
          entry.setSize(Files.size(file.getValue()));
          tar.putArchiveEntry(entry);
          Files.copy(file.getValue(), tar);
          tar.closeArchiveEntry();
        }
      }
      try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (RegistryException e) {
      throw new IOException("cannot pull " + image + ": " + e.getMessage(), e);
    } finally {
      dev.modelship.controller.registry.DurableFiles.deleteTree(staging);
    }
  }

  private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
