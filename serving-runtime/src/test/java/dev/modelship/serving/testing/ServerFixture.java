package dev.modelship.serving.testing;

import dev.modelship.serving.ServingServer;
import dev.modelship.serving.model.DeviceSpec;
import java.nio.file.Path;
import java.time.Duration;

/** A real serving runtime on a loopback port over a test model repository. */
public final class ServerFixture implements AutoCloseable {
  private final ServingServer server;
  private final HttpJson http;

  private ServerFixture(ServingServer server) {
    this.server = server;
    this.http = new HttpJson(server.port());
  }

  public static ServerFixture start(Path repository) throws Exception {
    return start(repository, 16L << 20);
  }

  public static ServerFixture start(Path repository, long maxRequestBytes) throws Exception {
    return new ServerFixture(ServingServer.start(
        new ServingServer.Options(repository, "127.0.0.1", 0, DeviceSpec.auto(), 2, maxRequestBytes)));
  }

  public HttpJson http() {
    return http;
  }

  public ServingServer server() {
    return server;
  }

  @Override
  public void close() throws InterruptedException {
    server.drainAndStop(Duration.ofSeconds(10));
  }
}
