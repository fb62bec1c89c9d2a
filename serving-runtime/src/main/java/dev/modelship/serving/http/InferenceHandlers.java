package dev.modelship.serving.http;

import dev.modelship.serving.batching.InferenceFailure;
import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.model.TensorData;
import dev.modelship.serving.protocol.ApiException;
import dev.modelship.serving.protocol.V1Codec;
import dev.modelship.serving.protocol.V2Codec;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** {@code POST .../infer} (V2) and {@code POST ...:predict} (V1). */
final class InferenceHandlers {
  private static final String V1_PREDICT = ":predict";

  private final ServerState state;
  private final ModelResolver resolver;
  private final long maxRequestBytes;

  InferenceHandlers(ServerState state, ModelResolver resolver, long maxRequestBytes) {
    this.state = state;
    this.resolver = resolver;
    this.maxRequestBytes = maxRequestBytes;
  }

  void v2Infer(Context ctx) {
    ServedModel served = resolver.resolve(ctx.pathParam("model"), versionParam(ctx));
    measured(ctx, served, "v2", () -> {
      V2Codec.Request request = V2Codec.parseInferRequest(readBody(ctx), served.model());
      TensorData[] outputs = execute(served, request.job());
      return V2Codec.writeInferResponse(served.model(), request.id(), outputs);
    });
  }

  /** {@code /v1/models/{model}:predict}: the verb is part of the last path segment. */
  void v1PredictLatest(Context ctx) {
    v1Predict(ctx, stripVerb(ctx.pathParam("target")), null);
  }

  void v1PredictVersion(Context ctx) {
    v1Predict(ctx, ctx.pathParam("model"), stripVerb(ctx.pathParam("target")));
  }

  private void v1Predict(Context ctx, String model, String version) {
    ServedModel served = resolver.resolve(model, version);
    measured(ctx, served, "v1", () -> {
      InferenceJob job = V1Codec.parsePredictRequest(readBody(ctx), served.model());
      return V1Codec.writePredictResponse(served.model(), execute(served, job));
    });
  }

  private static String stripVerb(String target) {
    if (target.endsWith(V1_PREDICT)) {
      return target.substring(0, target.length() - V1_PREDICT.length());
    }
    int colon = target.lastIndexOf(':');
    if (colon >= 0) {
      throw ApiException.badRequest("V1 verb '" + target.substring(colon + 1) + "' is not supported; use :predict");
    }
    throw ApiException.notFound("no V1 verb in '" + target + "'; POST to /v1/models/<model>:predict");
  }

  static String versionParam(Context ctx) {
    return ctx.pathParamMap().get("version");
  }

  /** Admits, runs and counts one request; its status and duration go to the model's metrics whatever happens. */
  private void measured(Context ctx, ServedModel served, String protocol, Supplier<byte[]> work) {
    long start = System.nanoTime();
    served.metrics().requestStarted();
    int status = 500;
    try {
      if (!state.tryAdmit()) {
        throw ApiException.goingAway("server is draining and accepts no new requests");
      }
      try {
        writeJson(ctx, work.get());
        status = 200;
      } finally {
        state.leave();
      }
    } catch (ApiException e) {
      status = e.status();
      throw e;
    } finally {
      served.metrics().requestFinished(protocol, status, System.nanoTime() - start);
    }
  }

  /** Writes straight to the servlet response: no intermediate stream copy for every inference. */
  private static void writeJson(Context ctx, byte[] body) {
    HttpServletResponse response = ctx.res();
    response.setStatus(200);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    try {
      response.getOutputStream().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the response failed (client gone?)", e);
    }
  }

  private static TensorData[] execute(ServedModel served, InferenceJob job) {
    try {
      served.batcher().submit(job);
      return job.await();
    } catch (InferenceFailure failure) {
      throw toApiException(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("server is stopping");
    }
  }

  static ApiException toApiException(InferenceFailure failure) {
    switch (failure.reason()) {
      case QUEUE_FULL:
      case SHUTTING_DOWN:
        return ApiException.unavailable(failure.getMessage());
      case INVALID_INPUT:
        return ApiException.badRequest(failure.getMessage());
      default:
        return new ApiException(500, failure.getMessage());
    }
  }

  /** Reads the body into one exactly sized array when its length is declared (the usual case). */
  private byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxRequestBytes) {
      // Read (and drop) a body that is not far over the limit before answering: closing the connection with
      // unread bytes makes TCP reset it, and a client still sending would lose the 413 and see only a reset.
      // A body far over the limit is not worth reading; that connection is closed after the answer.
      if (declared - maxRequestBytes <= DRAIN_LIMIT) {
        try (InputStream in = ctx.req().getInputStream()) {
          in.skipNBytes(declared);
        } catch (IOException | RuntimeException e) {
          // the client gave up or sent less: the 413 below is still the answer
        }
      }
      throw tooLarge(declared + " bytes");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared >= 0) {
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
          throw ApiException.badRequest("request body ended after " + read + " of its " + declared + " bytes");
        }
        return body;
      }
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
      if (body.length > maxRequestBytes) {
        throw tooLarge("more than " + maxRequestBytes + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw ApiException.badRequest("could not read the request body: " + e.getMessage());
    }
  }

  /** How far over the limit a declared body may be and still be read to the end before the 413 (see readBody). */
  private static final long DRAIN_LIMIT = 4L << 20;

  private ApiException tooLarge(String size) {
    return new ApiException(413, "request body of " + size + " is over the limit of " + maxRequestBytes
        + " bytes (--max-request-bytes)");
  }
}
