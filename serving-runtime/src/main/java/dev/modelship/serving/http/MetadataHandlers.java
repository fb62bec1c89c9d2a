package dev.modelship.serving.http;

import dev.modelship.serving.metrics.ServingMetrics;
import dev.modelship.serving.protocol.Metadata;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.NavigableMap;

/** Health, metadata and metrics endpoints. */
final class MetadataHandlers {
  private final ServerState state;
  private final ModelResolver resolver;
  private final ServingMetrics metrics;
  private final String serverName;
  private final String serverVersion;

  MetadataHandlers(ServerState state, ModelResolver resolver, ServingMetrics metrics, String serverName,
                   String serverVersion) {
    this.state = state;
    this.resolver = resolver;
    this.metrics = metrics;
    this.serverName = serverName;
    this.serverVersion = serverVersion;
  }

  void live(Context ctx) {
    json(ctx, 200, Metadata.flag("live", true));
  }

  void ready(Context ctx) {
    boolean ready = state.ready();
    json(ctx, ready ? 200 : 503, Metadata.flag("ready", ready));
  }

  void server(Context ctx) {
    json(ctx, 200, Metadata.server(serverName, serverVersion));
  }

  void model(Context ctx) {
    String name = ctx.pathParam("model");
    ServedModel served = resolver.resolve(name, InferenceHandlers.versionParam(ctx));
    json(ctx, 200, Metadata.model(served.model(), resolver.versions(name).keySet()));
  }

  void modelReady(Context ctx) {
    ServedModel served = resolver.resolve(ctx.pathParam("model"), InferenceHandlers.versionParam(ctx));
    boolean ready = state.ready();
    json(ctx, ready ? 200 : 503, Metadata.modelReady(served.model().name(), ready));
  }

  void v1Status(Context ctx) {
    String name = ctx.pathParam("model");
    NavigableMap<Long, ServedModel> versions = resolver.versions(name);
    String version = InferenceHandlers.versionParam(ctx);
    json(ctx, 200, Metadata.v1Status(version == null ? versions.keySet()
        : java.util.List.of(resolver.resolve(name, version).model().version()), state.ready()));
  }

  void metrics(Context ctx) throws IOException {
    String accept = ctx.header("Accept");
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    metrics.write(accept, out);
    ctx.status(200).contentType(metrics.contentType(accept)).result(out.toByteArray());
  }

  static void json(Context ctx, int status, byte[] body) {
    ctx.status(status).contentType("application/json").result(body);
  }
}
