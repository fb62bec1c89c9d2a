package dev.modelship.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads images back through the registry's HTTP API, as any client would, independently of Jib. */
final class RegistryImages {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The digest a finished upload names, URL-encoded or not. */
  private static final Pattern UPLOAD_DIGEST = Pattern.compile("[?&]digest=sha256(%3A|:)([0-9a-f]{64})");

  private final DistributionRegistry registry;
  private final String username;
  private final String password;

  RegistryImages(DistributionRegistry registry, String username, String password) {
    this.registry = registry;
    this.username = username;
    this.password = password;
  }

  RegistryImages(DistributionRegistry registry) {
    this(registry, null, null);
  }

  /** The manifest under a tag or digest, with the digest the registry gives for it. */
  Manifest manifest(String repository, String reference) throws IOException, InterruptedException {
    HttpResponse<String> reply = registry.get("/v2/" + repository + "/manifests/" + reference,
        OCI_MANIFEST + ", application/vnd.docker.distribution.manifest.v2+json", username, password);
    if (reply.statusCode() != 200) {
      throw new IOException("manifest " + repository + ":" + reference + ": HTTP " + reply.statusCode() + " "
          + reply.body());
    }
    return new Manifest(JSON.readTree(reply.body()), reply.headers().firstValue("Docker-Content-Digest")
        .orElseThrow());
  }

  JsonNode config(String repository, Manifest manifest) throws IOException, InterruptedException {
    return JSON.readTree(blob(repository, manifest.json().path("config").path("digest").asText()));
  }

  byte[] blob(String repository, String digest) throws IOException, InterruptedException {
    HttpResponse<byte[]> reply = registry.getBytes("/v2/" + repository + "/blobs/" + digest,
        "application/octet-stream", username, password);
    if (reply.statusCode() != 200) {
      throw new IOException("blob " + digest + ": HTTP " + reply.statusCode());
    }
    return reply.body();
  }

  /** A gzip layer blob, unpacked to its tar bytes. */
  byte[] layerTar(String repository, String digest) throws IOException, InterruptedException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(blob(repository, digest)))) {
      return in.readAllBytes();
    }
  }

  /** How many requests the registry has served: a mark for {@link #uploadedBlobs}. */
  int requestCount() throws IOException {
    return registry.requests().size();
  }

  /**
   * Digests of the blobs uploaded to {@code repository} since request number {@code since} (not those the registry
   * mounted from another repository or already had).
   */
  List<String> uploadedBlobs(String repository, int since) throws IOException {
    List<String> digests = new ArrayList<>();
    String prefix = "PUT /v2/" + repository + "/blobs/uploads/";
    List<String> requests = registry.requests();
    for (String request : requests.subList(since, requests.size())) {
      Matcher digest = UPLOAD_DIGEST.matcher(request);
      if (request.startsWith(prefix) && digest.find()) {
        digests.add("sha256:" + digest.group(2));
      }
    }
    return digests;
  }

  record Manifest(JsonNode json, String digest) {
    List<String> layers() {
      List<String> layers = new ArrayList<>();
      json.path("layers").forEach(layer -> layers.add(layer.path("digest").asText()));
      return layers;
    }
  }
}
