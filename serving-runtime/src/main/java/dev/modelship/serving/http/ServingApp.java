package dev.modelship.serving.http;

import dev.modelship.serving.metrics.ServingMetrics;
import dev.modelship.serving.protocol.ApiException;
import dev.modelship.serving.protocol.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The serving runtime's HTTP API as a value: routes, error mapping and nothing static. */
public final class ServingApp {
  private static final Logger LOG = LoggerFactory.getLogger(ServingApp.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** What the app needs. */
  public record Deps(ServerState state, ServingMetrics metrics, long maxRequestBytes, String serverName,
                     String serverVersion) {
  }

  private ServingApp() {
  }

  public static Javalin create(Deps deps) {
    ModelResolver resolver = new ModelResolver(deps.state());
    InferenceHandlers inference = new InferenceHandlers(deps.state(), resolver, deps.maxRequestBytes());
    MetadataHandlers metadata = new MetadataHandlers(deps.state(), resolver, deps.metrics(), deps.serverName(),
        deps.serverVersion());
    return Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = deps.maxRequestBytes();
      // Stopping waits for responses still being written instead of cutting their connections.
      cfg.jetty.modifyServer(server -> {
        server.setStopTimeout(STOP_GRACE.toMillis());
        server.insertHandler(new GracefulHandler());
      });
      cfg.routes.get("/v2/health/live", metadata::live);
      cfg.routes.get("/v2/health/ready", metadata::ready);
      cfg.routes.get("/v2", metadata::server);
      cfg.routes.get("/v2/models/{model}", metadata::model);
      cfg.routes.get("/v2/models/{model}/versions/{version}", metadata::model);
      cfg.routes.get("/v2/models/{model}/ready", metadata::modelReady);
      cfg.routes.get("/v2/models/{model}/versions/{version}/ready", metadata::modelReady);
      cfg.routes.post("/v2/models/{model}/infer", inference::v2Infer);
      cfg.routes.post("/v2/models/{model}/versions/{version}/infer", inference::v2Infer);
      cfg.routes.post("/v1/models/{target}", inference::v1PredictLatest);
      cfg.routes.post("/v1/models/{model}/versions/{target}", inference::v1PredictVersion);
      cfg.routes.get("/v1/models/{model}", metadata::v1Status);
      cfg.routes.get("/v1/models/{model}/versions/{version}", metadata::v1Status);
      cfg.routes.get("/metrics", metadata::metrics);
      cfg.routes.exception(ApiException.class, ServingApp::apiError);
      cfg.routes.exception(HttpResponseException.class, ServingApp::javalinError);
      cfg.routes.exception(Exception.class, ServingApp::unexpected);
    });
  }

  private static void apiError(ApiException e, Context ctx) {
    if (e.status() >= 500 && e.status() != 503) {
      LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
    }
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
    }
    if (e.closeConnection()) {
      ctx.header("Connection", "close");
    }
    MetadataHandlers.json(ctx, e.status(), Json.error(e.getMessage()));
  }

  /** Javalin's own errors, such as "Endpoint GET /x not found", in the same JSON shape. */
  private static void javalinError(HttpResponseException e, Context ctx) {
    MetadataHandlers.json(ctx, e.getStatus(), Json.error(e.getMessage()));
  }

  private static void unexpected(Exception e, Context ctx) {
    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    MetadataHandlers.json(ctx, 500, Json.error("internal server error: " + e));
  }
}
