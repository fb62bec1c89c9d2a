package dev.modelship.controller.registry.oci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that misbehaves, played by WireMock: server errors, garbage, silence, hostile manifests and corrupt
 * blobs. Each gives the right kind of failure with a message that says what happened, and a fetch writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryFaultsIT {
  private static final ModelVersionRef CLICKS_1 = ModelVersionRef.parse("clicks:1");
  private static final String MANIFEST_PATH = "/v2/models/manifests/clicks-1";
  /** Long enough for a loaded machine; only the silence tests use {@link #SHORT_TIMEOUT}. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);

  private WireMockServer server;
  @TempDir
  Path work;

  @BeforeAll
  void startServer() {
    server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterAll
  void stopServer() {
    server.stop();
  }

  @BeforeEach
  void forgetStubs() {
    server.resetAll();
  }

  @Test
  void serverErrorIsUnavailableAndSaysWhatTheRegistrySaid() {
    server.stubFor(get("/v2/models/tags/list").willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"storage backend down\"}]}")));

    assertThatThrownBy(() -> registry().models())
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("OCI registry 127.0.0.1:" + server.port() + " failed on GET /v2/models/tags/list")
        .hasMessageContaining("HTTP 503: UNAVAILABLE storage backend down");
  }

  @Test
  void garbageInsteadOfATagListIsUnavailable() {
    server.stubFor(get("/v2/models/tags/list").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html").withBody("<html><body>Welcome to nginx!</body></html>")));

    assertThatThrownBy(() -> registry().versions("clicks"))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("the tag list is not JSON")
        .hasMessageContaining("Welcome to nginx!");
  }

  @Test
  void manifestOfAnotherMediaTypeIsUnavailableAndNothingIsWritten() throws Exception {
    ServedVersion served = serve(TestPackages.write(work.resolve("pkg"), "clicks", 31));
    server.stubFor(get(MANIFEST_PATH).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html").withBody(served.manifest())));

    assertThatThrownBy(() -> registry().fetch(CLICKS_1, work.resolve("out/clicks-1")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("Content-Type 'text/html', expected application/vnd.oci.image.manifest.v1+json");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void silenceLongerThanTheTimeoutIsUnavailable() {
    server.stubFor(get("/v2/models/tags/list").willReturn(tagList("clicks-1").withFixedDelay(5_000)));

    assertThatThrownBy(() -> registry(SHORT_TIMEOUT, OciRegistryOptions.DEFAULT_MAX_BLOB_BYTES).models())
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("OCI registry 127.0.0.1:" + server.port() + " unavailable: silent for 400 ms")
        .hasMessageContaining("GET /v2/models/tags/list");
  }

  @Test
  void blobThatStallsMidwayIsUnavailableAndNothingIsWritten() throws Exception {
    ServedVersion served = serve(TestPackages.write(work.resolve("pkg"), "clicks", 32));
    server.stubFor(get(served.blobPath(ModelPackage.MODEL_FILE)).willReturn(aResponse().withStatus(200)
        .withBody(served.file(ModelPackage.MODEL_FILE)).withChunkedDribbleDelay(3, 6_000)));

    OciModelRegistry impatient = registry(SHORT_TIMEOUT, OciRegistryOptions.DEFAULT_MAX_BLOB_BYTES);

    assertThatThrownBy(() -> impatient.fetch(CLICKS_1, work.resolve("out/clicks-1")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("silent for 400 ms");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void slowTransferKeepsGoingWhileBytesArrive() throws Exception {
    ModelPackage pkg = TestPackages.write(work.resolve("pkg"), "clicks", 33);
    ServedVersion served = serve(pkg);
    // four pieces over 1.2 s: longer than the timeout in total, never silent for as long as the timeout
    server.stubFor(get(served.blobPath(ModelPackage.MODEL_FILE)).willReturn(aResponse().withStatus(200)
        .withBody(served.file(ModelPackage.MODEL_FILE)).withChunkedDribbleDelay(4, 1_200)));
    OciModelRegistry patient = registry(Duration.ofSeconds(1), OciRegistryOptions.DEFAULT_MAX_BLOB_BYTES);

    patient.fetch(CLICKS_1, work.resolve("out"));

    TestPackages.assertSameFiles(work.resolve("out"), pkg.directory());
  }

  @Test
  void layerTitledOutsideThePackageIsRefusedBeforeAnyDownload() throws Exception {
    ModelPackage pkg = TestPackages.write(work.resolve("pkg"), "clicks", 34);
    Map<String, String> files = Map.of("../../etc/passwd", pkg.fileDigests().get(ModelPackage.MODEL_FILE),
        ModelPackage.MANIFEST_FILE, pkg.fileDigests().get(ModelPackage.MANIFEST_FILE));
    ModelArtifact hostile = new ModelArtifact(CLICKS_1, ModelPackage.digestOf(files), Instant.EPOCH, List.of(
        new ModelArtifact.Layer("../../etc/passwd", "application/vnd.modelship.model.onnx", files.get(
            "../../etc/passwd"), Files.size(pkg.modelFile())),
        new ModelArtifact.Layer(ModelPackage.MANIFEST_FILE, "application/vnd.modelship.manifest.v1+yaml",
            files.get(ModelPackage.MANIFEST_FILE), Files.size(pkg.manifestFile()))));
    serve(pkg);
    server.stubFor(get(MANIFEST_PATH).willReturn(manifest(hostile.manifestJson())));
    Path target = Files.createDirectories(work.resolve("out/a/b/clicks-1"));

    assertThatThrownBy(() -> registry().fetch(CLICKS_1, target))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("refusing a layer titled '../../etc/passwd'")
        .hasMessageContaining("a model package holds only model.onnx, modelship.yaml, holdout.csv");
    assertThat(TestPackages.contentsOf(work.resolve("out"))).containsExactly("a", "a/b", "a/b/clicks-1");
    server.verify(0, getRequestedFor(urlPathMatching("/v2/models/blobs/.*")));
  }

  @Test
  void blobWhoseDigestDoesNotMatchIsRefusedAndNothingIsWritten() throws Exception {
    ServedVersion served = serve(TestPackages.write(work.resolve("pkg"), "clicks", 35));
    byte[] tampered = served.file(ModelPackage.MODEL_FILE).clone();
    tampered[tampered.length / 2] ^= 0x40;
    server.stubFor(get(served.blobPath(ModelPackage.MODEL_FILE)).willReturn(aResponse().withStatus(200)
        .withBody(tampered)));

    assertThatThrownBy(() -> registry().fetch(CLICKS_1, work.resolve("out/clicks-1")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("for model.onnx of clicks:1, expected " + tampered.length + " bytes with digest "
            + served.digest(ModelPackage.MODEL_FILE));
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void blobLargerThanItsManifestSaysIsRefused() throws Exception {
    ServedVersion served = serve(TestPackages.write(work.resolve("pkg"), "clicks", 36));
    byte[] padded = new byte[served.file(ModelPackage.MODEL_FILE).length + 1_000_000];
    server.stubFor(get(served.blobPath(ModelPackage.MODEL_FILE)).willReturn(aResponse().withStatus(200)
        .withBody(padded)));
    Path target = Files.createDirectories(work.resolve("out"));

    assertThatThrownBy(() -> registry().fetch(CLICKS_1, target))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("sent more than " + served.file(ModelPackage.MODEL_FILE).length + " bytes");
    assertThat(TestPackages.contentsOf(work)).doesNotContain("out/model.onnx").noneMatch(path -> path.contains(".out"));
    assertThat(TestPackages.contentsOf(target)).isEmpty();
  }

  @Test
  void layerAboveTheSizeLimitIsRefusedBeforeAnyDownload() throws Exception {
    ServedVersion served = serve(TestPackages.write(work.resolve("pkg"), "clicks", 37));
    long limit = served.file(ModelPackage.MODEL_FILE).length - 1;

    assertThatThrownBy(() -> registry(TIMEOUT, limit).fetch(CLICKS_1, work.resolve("out")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("layer 'model.onnx' has " + (limit + 1) + " bytes, more than the limit of " + limit);
    server.verify(0, getRequestedFor(urlPathMatching("/v2/models/blobs/.*")));
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void serverErrorAfterSomeFilesArrivedLeavesNothingBehind() throws Exception {
    ServedVersion served = serve(TestPackages.write(work.resolve("pkg"), "clicks", 38));
    server.stubFor(get(served.blobPath(ModelPackage.MODEL_FILE)).willReturn(aResponse().withStatus(500)
        .withBody("internal error")));

    assertThatThrownBy(() -> registry().fetch(CLICKS_1, work.resolve("out/clicks-1")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("HTTP 500: \"internal error\"");
    server.verify(getRequestedFor(urlEqualTo(served.blobPath(ModelPackage.HOLDOUT_FILE))));
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void answersATokenChallengeWithTheCredentialsAndRetries() throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString("robot:hunter2".getBytes(StandardCharsets.UTF_8));
    server.stubFor(get("/v2/models/tags/list").willReturn(aResponse().withStatus(401)
        .withHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + server.port() + "/token\","
            + "service=\"wiremock\",scope=\"repository:models:pull\"")
        .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
    server.stubFor(get(urlPathEqualTo("/token")).withHeader("Authorization", equalTo(basic))
        .withQueryParam("service", equalTo("wiremock")).withQueryParam("scope", equalTo("repository:models:pull"))
        .willReturn(aResponse().withStatus(200).withBody("{\"token\":\"t0k3n\"}")));
    server.stubFor(get("/v2/models/tags/list").withHeader("Authorization", equalTo("Bearer t0k3n"))
        .willReturn(tagList("clicks-1", "clicks-2", "views-1", "latest")));
    OciModelRegistry models = new OciModelRegistry(address(), new OciRegistryOptions(true, "robot", "hunter2",
        TIMEOUT), new OciClientContext(Clock.systemUTC(), Map.of(), null));

    assertThat(models.models()).isEqualTo(List.of("clicks", "views"));
    assertThat(models.models()).isEqualTo(List.of("clicks", "views"));
    server.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  /** A model version as a well-behaved registry would serve it; tests then break one part. */
  private ServedVersion serve(ModelPackage pkg) throws IOException {
    ModelArtifact artifact = ModelArtifact.of(CLICKS_1, pkg, Instant.parse("2026-01-01T00:00:00Z"));
    ServedVersion served = new ServedVersion(artifact.manifestJson(), pkg);
    server.stubFor(get("/v2/models/tags/list").willReturn(tagList("clicks-1")));
    server.stubFor(get(MANIFEST_PATH).willReturn(manifest(served.manifest())));
    for (String file : pkg.fileDigests().keySet()) {
      server.stubFor(get(served.blobPath(file)).willReturn(aResponse().withStatus(200).withBody(served.file(file))));
    }
    return served;
  }

  private record ServedVersion(byte[] manifest, ModelPackage pkg) {
    String digest(String file) {
      return pkg.fileDigests().get(file);
    }

    String blobPath(String file) {
      return "/v2/models/blobs/" + digest(file);
    }

    byte[] file(String name) throws IOException {
      return Files.readAllBytes(pkg.file(name));
    }
  }

  private static ResponseDefinitionBuilder manifest(byte[] json) {
    return aResponse().withStatus(200).withHeader("Content-Type", ModelArtifact.MANIFEST_MEDIA_TYPE)
        .withHeader("Docker-Content-Digest", sha256(json)).withBody(json);
  }

  private static ResponseDefinitionBuilder tagList(String... tags) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"name\":\"models\",\"tags\":[\"" + String.join("\",\"", tags) + "\"]}");
  }

  private OciRegistryAddress address() {
    return new OciRegistryAddress("127.0.0.1", server.port(), "models");
  }

  private OciModelRegistry registry() {
    return registry(TIMEOUT, OciRegistryOptions.DEFAULT_MAX_BLOB_BYTES);
  }

  private OciModelRegistry registry(Duration timeout, long maxBlobBytes) {
    return new OciModelRegistry(address(), new OciRegistryOptions(true, null, null, timeout, maxBlobBytes),
        new OciClientContext(Clock.systemUTC(), Map.of(), null));
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
