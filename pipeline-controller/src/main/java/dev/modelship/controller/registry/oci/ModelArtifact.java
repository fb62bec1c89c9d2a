package dev.modelship.controller.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A model version as an OCI image manifest: one layer per package file, titled with the file name, the empty
 * config, and annotations naming the version and its package digest. Reading one back checks everything a hostile
 * or broken registry could get wrong before a single byte of a file is fetched.
 */
record ModelArtifact(ModelVersionRef ref, String packageDigest, Instant created, List<Layer> layers) {
  static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String ARTIFACT_TYPE = "application/vnd.modelship.model.v1+json";
  static final String EMPTY_CONFIG_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  static final byte[] EMPTY_CONFIG = {'{', '}'};
  static final String EMPTY_CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  static final String TITLE = "org.opencontainers.image.title";
  static final String CREATED = "org.opencontainers.image.created";
  static final String MODEL_NAME = "dev.modelship.model.name";
  static final String MODEL_VERSION = "dev.modelship.model.version";
  static final String PACKAGE_DIGEST = "dev.modelship.package.digest";
  static final Map<String, String> FILE_MEDIA_TYPES = Map.of(
      ModelPackage.MODEL_FILE, "application/vnd.modelship.model.onnx",
      ModelPackage.MANIFEST_FILE, "application/vnd.modelship.manifest.v1+yaml",
      ModelPackage.HOLDOUT_FILE, "text/csv");

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One package file as a layer. */
  record Layer(String fileName, String mediaType, String digest, long size) {
  }

  ModelArtifact {
    layers = List.copyOf(layers);
  }

  static ModelArtifact of(ModelVersionRef ref, ModelPackage pkg, Instant created) throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (Map.Entry<String, String> file : pkg.fileDigests().entrySet()) {
      layers.add(new Layer(file.getKey(), FILE_MEDIA_TYPES.get(file.getKey()), file.getValue(),
          Files.size(pkg.file(file.getKey()))));
    }
    return new ModelArtifact(ref, pkg.digest(), created.truncatedTo(ChronoUnit.SECONDS), layers);
  }

  /** File name to {@code sha256:<hex>}. */
  Map<String, String> fileDigests() {
    Map<String, String> digests = new LinkedHashMap<>();
    layers.forEach(layer -> digests.put(layer.fileName(), layer.digest()));
    return digests;
  }

  PublishedVersion publishedVersion() {
    return new PublishedVersion(ref, packageDigest, fileDigests(), created);
  }

  byte[] manifestJson() {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.put("artifactType", ARTIFACT_TYPE);
    ObjectNode config = manifest.putObject("config");
    config.put("mediaType", EMPTY_CONFIG_MEDIA_TYPE);
    config.put("digest", EMPTY_CONFIG_DIGEST);
    config.put("size", EMPTY_CONFIG.length);
    config.put("data", "e30=");
    ArrayNode layerNodes = manifest.putArray("layers");
    for (Layer layer : layers) {
      ObjectNode node = layerNodes.addObject();
      node.put("mediaType", layer.mediaType());
      node.put("digest", layer.digest());
      node.put("size", layer.size());
      node.putObject("annotations").put(TITLE, layer.fileName());
    }
    ObjectNode annotations = manifest.putObject("annotations");
    annotations.put(MODEL_NAME, ref.name());
    annotations.put(MODEL_VERSION, ref.versionText());
    annotations.put(PACKAGE_DIGEST, packageDigest);
    annotations.put(CREATED, created.toString());
    try {
      return JSON.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an OCI manifest", e);
    }
  }

  /**
   * Reads the manifest stored for {@code expected}. Not a manifest or not a Modelship model is
   * {@link Kind#UNAVAILABLE} (the registry answered something unusable); a Modelship manifest that is inconsistent
   * or reaches outside the package (a layer titled {@code ../../etc/passwd}, a blob above {@code maxBlobBytes},
   * layers that do not add up to the package digest) is {@link Kind#INVALID}.
   */
  static ModelArtifact parse(byte[] json, ModelVersionRef expected, String source, long maxBlobBytes)
      throws RegistryException {
    JsonNode manifest;
    try {
      manifest = JSON.readTree(json);
    } catch (IOException e) {
      throw new RegistryException(Kind.UNAVAILABLE, source + ": the manifest is not JSON");
    }
    if (manifest == null || !manifest.isObject() || manifest.path("schemaVersion").asInt() != 2
        || !manifest.path("layers").isArray()) {
      throw new RegistryException(Kind.UNAVAILABLE, source
          + ": not an OCI image manifest (schemaVersion 2 with layers)");
    }
    String artifactType = manifest.path("artifactType").asText("");
    if (!artifactType.equals(ARTIFACT_TYPE)) {
      throw new RegistryException(Kind.UNAVAILABLE, source + ": holds "
          + (artifactType.isEmpty() ? "an artifact without artifactType" : "'" + artifactType + "'")
          + ", not a Modelship model (" + ARTIFACT_TYPE + ")");
    }
    JsonNode annotations = manifest.path("annotations");
    String name = annotations.path(MODEL_NAME).asText("");
    String version = annotations.path(MODEL_VERSION).asText("");
    if (!name.equals(expected.name()) || !version.equals(expected.versionText())) {
      throw new RegistryException(Kind.INVALID, source + ": the manifest says it is '" + name + ":" + version + "'");
    }
    String packageDigest = digest(annotations.path(PACKAGE_DIGEST), source, "the package digest annotation");
    Instant created = created(annotations.path(CREATED), source);
    List<Layer> layers = layers(manifest.path("layers"), source, maxBlobBytes);
    Map<String, String> files = new LinkedHashMap<>();
    layers.forEach(layer -> files.put(layer.fileName(), layer.digest()));
    if (!ModelPackage.digestOf(files).equals(packageDigest)) {
      throw new RegistryException(Kind.INVALID, source + ": the layers do not add up to the package digest "
          + packageDigest + " the manifest claims");
    }
    return new ModelArtifact(expected, packageDigest, created, layers);
  }

  private static List<Layer> layers(JsonNode nodes, String source, long maxBlobBytes) throws RegistryException {
    Map<String, Layer> byName = new LinkedHashMap<>();
    for (JsonNode node : nodes) {
      String title = node.path("annotations").path(TITLE).asText(null);
      if (title == null || !ModelPackage.FILE_NAMES.contains(title)) {
        throw new RegistryException(Kind.INVALID, source + ": refusing a layer titled "
            + (title == null ? "nothing" : "'" + title + "'") + "; a model package holds only "
            + String.join(", ", ModelPackage.FILE_NAMES));
      }
      if (byName.containsKey(title)) {
        throw new RegistryException(Kind.INVALID, source + ": two layers are titled '" + title + "'");
      }
      String mediaType = node.path("mediaType").asText("");
      if (!mediaType.equals(FILE_MEDIA_TYPES.get(title))) {
        throw new RegistryException(Kind.INVALID, source + ": layer '" + title + "' has media type '" + mediaType
            + "', expected " + FILE_MEDIA_TYPES.get(title));
      }
      JsonNode size = node.path("size");
      if (!size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
        throw new RegistryException(Kind.INVALID, source + ": layer '" + title + "' has no valid size");
      }
      if (size.asLong() > maxBlobBytes) {
        throw new RegistryException(Kind.INVALID, source + ": layer '" + title + "' has " + size.asLong()
            + " bytes, more than the limit of " + maxBlobBytes);
      }
      byName.put(title, new Layer(title, mediaType, digest(node.path("digest"), source, "layer '" + title + "'"),
          size.asLong()));
    }
    for (String required : List.of(ModelPackage.MODEL_FILE, ModelPackage.MANIFEST_FILE)) {
      if (!byName.containsKey(required)) {
        throw new RegistryException(Kind.INVALID, source + ": no layer holds " + required);
      }
    }
    return List.copyOf(byName.values());
  }

  private static String digest(JsonNode node, String source, String what) throws RegistryException {
    String digest = node.asText("");
    if (!DIGEST.matcher(digest).matches()) {
      throw new RegistryException(Kind.INVALID, source + ": " + what + " has no sha256 digest"
          + (digest.isEmpty() ? "" : " ('" + digest.substring(0, Math.min(digest.length(), 80)) + "')"));
    }
    return digest;
  }

  private static Instant created(JsonNode node, String source) throws RegistryException {
    try {
      return Instant.parse(node.asText(""));
    } catch (DateTimeParseException e) {
      throw new RegistryException(Kind.INVALID, source + ": the " + CREATED + " annotation is not a time: '"
          + node.asText("") + "'");
    }
  }
}
