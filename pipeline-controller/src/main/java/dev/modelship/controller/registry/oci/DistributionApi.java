package dev.modelship.controller.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of the OCI Distribution API that a model needs, on one repository: list tags, read and write a
 * manifest, check, upload and download blobs. Each call either returns what the protocol promises or throws.
 */
final class DistributionApi {
  /** Distribution itself refuses manifests above 4 MiB. */
  static final long MANIFEST_LIMIT = 4L << 20;
  /** Answers that carry no content we read (an upload session, a stored blob) may still have a short body. */
  private static final long SMALL_REPLY_LIMIT = RegistryHttp.ERROR_BODY_LIMIT;
  private static final long TAG_LIST_LIMIT = 16L << 20;
  private static final int MAX_TAG_PAGES = 1000;
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryHttp http;
  private final String repository;
  private final String pullScope;
  private final String pushScope;

  DistributionApi(RegistryHttp http) {
    this.http = http;
    this.repository = http.address().repository();
    this.pullScope = "repository:" + repository + ":pull";
    this.pushScope = "repository:" + repository + ":pull,push";
  }

  /** Every tag of the repository, following pagination; empty when the repository does not exist yet. */
  List<String> tags() throws RegistryException {
    List<String> tags = new ArrayList<>();
    URI page = http.uri("/v2/" + repository + "/tags/list");
    for (int pages = 0; page != null; pages++) {
      if (pages == MAX_TAG_PAGES) {
        throw new RegistryException(Kind.UNAVAILABLE, "OCI registry " + http.address().authority()
            + " kept paginating the tags of " + repository + " past " + MAX_TAG_PAGES + " pages");
      }
      RegistryHttp.Reply reply = http.send("GET", page, pullScope, Map.of("Accept", "application/json"), null,
          TAG_LIST_LIMIT);
      if (reply.status() == 404) {
        return List.of();
      }
      expect(reply, 200, "the tags of " + repository);
      JsonNode list = json(reply, "the tag list");
      JsonNode names = list.path("tags");
      if (!list.isObject() || !(names.isArray() || names.isNull() || names.isMissingNode())) {
        throw ReplyErrors.garbage(reply, http.address(), "no \"tags\" list", http::redact);
      }
      names.forEach(name -> tags.add(name.asText()));
      page = reply.header("Link").map(NEXT_LINK::matcher).filter(Matcher::find)
          .map(link -> page(reply.uri(), link.group(1))).orElse(null);
    }
    return tags;
  }

  /** The manifest bytes under {@code tag}, checked against the digest the registry gives for them. */
  Optional<byte[]> manifest(String tag) throws RegistryException {
    RegistryHttp.Reply reply = http.send("GET", http.uri("/v2/" + repository + "/manifests/" + tag), pullScope,
        Map.of("Accept", ModelArtifact.MANIFEST_MEDIA_TYPE), null, MANIFEST_LIMIT);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    expect(reply, 200, "the manifest " + tag);
    String contentType = reply.header("Content-Type").orElse("");
    if (!contentType.split(";")[0].trim().equals(ModelArtifact.MANIFEST_MEDIA_TYPE)) {
      throw ReplyErrors.garbage(reply, http.address(), "Content-Type '" + contentType + "', expected "
          + ModelArtifact.MANIFEST_MEDIA_TYPE, http::redact);
    }
    Optional<String> claimed = reply.header("Docker-Content-Digest");
    if (claimed.isPresent() && !claimed.get().equals(reply.received().digest())) {
      throw new RegistryException(Kind.INVALID, "OCI registry " + http.address().authority() + " sent a manifest for "
          + tag + " whose sha256 is " + reply.received().digest() + ", not " + claimed.get() + " as it says");
    }
    return Optional.of(reply.body());
  }

  /** Container image manifests this client reads (one platform; an index is refused by the caller). */
  static final List<String> IMAGE_MANIFEST_TYPES = List.of("application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");

  /** An image manifest and its media type. */
  record ImageManifest(String mediaType, byte[] bytes) {
  }

  /** The image manifest with this digest, checked to hash to it; empty when the registry does not have it. */
  Optional<ImageManifest> imageManifest(String digest) throws RegistryException {
    RegistryHttp.Reply reply = http.send("GET", http.uri("/v2/" + repository + "/manifests/" + digest), pullScope,
        Map.of("Accept", String.join(", ", IMAGE_MANIFEST_TYPES)), null, MANIFEST_LIMIT);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    expect(reply, 200, "the manifest " + digest);
    if (!reply.received().digest().equals(digest)) {
      throw new RegistryException(Kind.INVALID, "OCI registry " + http.address().authority() + " sent a manifest "
          + "whose sha256 is " + reply.received().digest() + " when asked for " + digest);
    }
    String contentType = reply.header("Content-Type").orElse("").split(";")[0].trim();
    return Optional.of(new ImageManifest(contentType, reply.body()));
  }

  boolean hasBlob(String digest) throws RegistryException {
    RegistryHttp.Reply reply = http.send("HEAD", http.uri("/v2/" + repository + "/blobs/" + digest), pushScope,
        Map.of(), null, SMALL_REPLY_LIMIT);
    if (reply.status() == 404) {
      return false;
    }
    expect(reply, 200, "blob " + digest);
    return true;
  }

  /** Monolithic upload: open an upload session, then send the whole blob with its digest. */
  void pushBlob(String digest, HttpRequest.BodyPublisher content, String what) throws RegistryException {
    RegistryHttp.Reply session = http.send("POST", http.uri("/v2/" + repository + "/blobs/uploads/"), pushScope,
        Map.of(), HttpRequest.BodyPublishers.noBody(), SMALL_REPLY_LIMIT);
    expect(session, 202, "an upload of " + what);
    String location = session.header("Location").orElseThrow(() -> ReplyErrors.garbage(session, http.address(),
        "an upload session without a Location", http::redact));
    URI upload = session.uri().resolve(location);
    URI target = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest="
        + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    RegistryHttp.Reply reply = http.send("PUT", target, pushScope,
        Map.of("Content-Type", "application/octet-stream"), content, SMALL_REPLY_LIMIT);
    expect(reply, 201, what);
  }

  /** Stores the manifest under {@code tag}, which makes the version visible. */
  void putManifest(String tag, byte[] manifest) throws RegistryException {
    RegistryHttp.Reply reply = http.send("PUT", http.uri("/v2/" + repository + "/manifests/" + tag), pushScope,
        Map.of("Content-Type", ModelArtifact.MANIFEST_MEDIA_TYPE), HttpRequest.BodyPublishers.ofByteArray(manifest),
        SMALL_REPLY_LIMIT);
    expect(reply, 201, "the manifest " + tag);
  }

  /** Downloads a blob into {@code target}, refusing more than {@code size} bytes and any other content. */
  void downloadBlob(String digest, long size, Path target, String what) throws RegistryException {
    RegistryHttp.Reply reply = http.download(http.uri("/v2/" + repository + "/blobs/" + digest), pullScope, target,
        size);
    expect(reply, 200, what);
    if (reply.received().length() != size || !reply.received().digest().equals(digest)) {
      throw new RegistryException(Kind.INVALID, "OCI registry " + http.address().authority() + " sent "
          + reply.received().length() + " bytes with digest " + reply.received().digest() + " for " + what
          + ", expected " + size + " bytes with digest " + digest);
    }
  }

  private void expect(RegistryHttp.Reply reply, int status, String what) throws RegistryException {
    if (reply.status() != status) {
      throw ReplyErrors.unexpected(reply, http.address(), what, http::redact);
    }
  }

  private JsonNode json(RegistryHttp.Reply reply, String what) throws RegistryException {
    try {
      JsonNode node = JSON.readTree(reply.body());
      if (node != null) {
        return node;
      }
    } catch (IOException e) {
      // reported below
    }
    throw ReplyErrors.garbage(reply, http.address(), what + " is not JSON", http::redact);
  }

  private URI page(URI current, String link) {
    URI next = current.resolve(link);
    return http.uri(next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery()));
  }
}
