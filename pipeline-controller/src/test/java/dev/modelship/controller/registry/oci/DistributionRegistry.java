package dev.modelship.controller.registry.oci;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for a test: Debian's {@code docker-registry} (CNCF Distribution) started as a process with
 * its own config, storage under a temporary folder, on a free loopback port; optionally with htpasswd basic auth,
 * optionally over TLS with a self-signed certificate. Its access log shows which requests it served.
 */
public final class DistributionRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final SelfSignedCertificate certificate;

  private DistributionRegistry(Process process, int port, Path log, SelfSignedCertificate certificate) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.certificate = certificate;
  }

  public static DistributionRegistry start(Path folder) throws IOException {
    return start(folder, null, null);
  }

  /** With {@code username} and {@code password}: htpasswd (bcrypt) basic auth for that one user. */
  public static DistributionRegistry start(Path folder, String username, String password) throws IOException {
    return start(folder, username, password, false);
  }

  /**
   * Over HTTPS with a self-signed certificate for 127.0.0.1 (clients must be told to accept it), with htpasswd basic
   * auth for {@code username} when it is not null.
   */
  public static DistributionRegistry startWithTls(Path folder, String username, String password) throws IOException {
    return start(folder, username, password, true);
  }

  private static DistributionRegistry start(Path folder, String username, String password, boolean tls)
      throws IOException {
    Files.createDirectories(folder);
    int port = freePort();
    SelfSignedCertificate certificate = tls ? SelfSignedCertificate.create(folder.resolve("tls")) : null;
    StringBuilder config = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: false\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(folder.resolve("storage")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
        .append("  secret: modelship-test\n");
    if (certificate != null) {
      config.append("  tls:\n    certificate: ").append(certificate.certificateFile()).append('\n')
          .append("    key: ").append(certificate.keyFile()).append('\n');
    }
    if (username != null) {
      Path htpasswd = folder.resolve("htpasswd");
      Files.writeString(htpasswd, run("htpasswd", "-Bbn", username, password));
      config.append("auth:\n  htpasswd:\n    realm: modelship-test\n    path: ").append(htpasswd).append('\n');
    }
    Path configFile = Files.writeString(folder.resolve("config.yml"), config);
    Path log = folder.resolve("registry.log");
    Process process = startProcess(new ProcessBuilder("docker-registry", "serve", configFile.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()), "docker-registry");
    DistributionRegistry registry = new DistributionRegistry(process, port, log, certificate);
    try {
      await("docker-registry answering /v2/ on port " + port).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50)).until(registry::answers);
    } catch (RuntimeException e) {
      registry.close();
      throw new IOException("docker-registry did not start; its log: " + Files.readString(log), e);
    }
    return registry;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, as image references name the registry. */
  public String authority() {
    return "127.0.0.1:" + port;
  }

  /**
   * The requests the registry served so far, as {@code METHOD PATH?QUERY} in the order they came (from its access
   * log), e.g. {@code PUT /v2/serving/blobs/uploads/...?digest=sha256%3A...}.
   */
  public List<String> requests() throws IOException {
    List<String> requests = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      int start = line.indexOf('"');
      int end = start < 0 ? -1 : line.indexOf(" HTTP/", start);
      if (start >= 0 && end > start) {
        requests.add(line.substring(start + 1, end));
      }
    }
    return requests;
  }

  OciRegistryAddress address(String repository) {
    return new OciRegistryAddress("127.0.0.1", port, repository);
  }

  /** Stops the registry and waits until it is gone. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** GET on the registry's API, as a client independent of the code under test would do it. */
  public HttpResponse<String> get(String path, String accept, String username, String password)
      throws IOException, InterruptedException {
    return send(path, accept, username, password, HttpResponse.BodyHandlers.ofString());
  }

  /** GET of raw bytes (a blob), following the registry's redirects. */
  public HttpResponse<byte[]> getBytes(String path, String accept, String username, String password)
      throws IOException, InterruptedException {
    return send(path, accept, username, password, HttpResponse.BodyHandlers.ofByteArray());
  }

  private <T> HttpResponse<T> send(String path, String accept, String username, String password,
                                   HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
    String scheme = certificate == null ? "http" : "https";
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path))
        .header("Accept", accept).timeout(Duration.ofSeconds(10));
    if (username != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    HttpClient.Builder client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL);
    if (certificate != null) {
      client.sslContext(certificate.trustingContext());
    }
    return client.build().send(request.build(), body);
  }

  /**
   * What any client sees of a repository's versions: its tags and the manifest digest under each. Equal snapshots
   * before and after a failed call prove that the call changed nothing visible.
   */
  public String snapshot(String repository, String username, String password) throws IOException, InterruptedException {
    HttpResponse<String> tags = get("/v2/" + repository + "/tags/list", "application/json", username, password);
    if (tags.statusCode() != 200 && tags.statusCode() != 404) {
      throw new IOException("listing the tags of " + repository + ": HTTP " + tags.statusCode() + " " + tags.body());
    }
    List<String> names = new ArrayList<>();
    if (tags.statusCode() == 200) {
      new ObjectMapper().readTree(tags.body()).path("tags").forEach(tag -> names.add(tag.asText()));
    }
    StringBuilder snapshot = new StringBuilder("tags of ").append(repository).append('\n');
    for (String tag : names.stream().sorted().toList()) {
      HttpResponse<String> manifest = get("/v2/" + repository + "/manifests/" + tag,
          ModelArtifact.MANIFEST_MEDIA_TYPE, username, password);
      snapshot.append(tag).append(' ').append(manifest.headers().firstValue("Docker-Content-Digest").orElseThrow())
          .append('\n');
    }
    return snapshot.toString();
  }

  private boolean answers() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": "
          + Files.readString(log));
    }
    try {
      int status = get("/v2/", "application/json", null, null).statusCode();
      return status == 200 || status == 401;
    } catch (ConnectException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String run(String... command) throws IOException {
    Process process = startProcess(new ProcessBuilder(command).redirectErrorStream(true), command[0]);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return output;
  }

  /** docker-registry and htpasswd come from Debian packages that ./scripts/test installs. */
  private static Process startProcess(ProcessBuilder builder, String program) throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException(program + " is missing: run ./scripts/test, which installs Debian's docker-registry and "
          + "apache2-utils packages", e);
    }
  }
}
