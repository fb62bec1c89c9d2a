package dev.modelship.controller.registry.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Receives a response body into a {@link Sink}, hashing it on the way, and stops at a size limit: either by failing
 * ({@link LimitExceeded}) or, for error bodies that are only shown to people, by keeping the start.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Received> {

  /** Where the bytes go. */
  interface Sink extends AutoCloseable {
    void write(ByteBuffer bytes) throws IOException;

    /** The bytes kept in memory; empty for a file. */
    byte[] bytes();

    @Override
    void close() throws IOException;
  }

  /** What arrived: the bytes kept in memory (empty for a file), how many there were, and their sha256. */
  record Received(byte[] bytes, long length, String digest) {
  }

  /** The body went past its limit. */
  static final class LimitExceeded extends IOException {
    final long limit;

    LimitExceeded(long limit) {
      super("more than " + limit + " bytes");
      this.limit = limit;
    }
  }

  private final Sink sink;
  private final long limit;
  private final boolean truncate;
  private final Runnable progress;
  private final MessageDigest sha256 = sha256();
  private final CompletableFuture<Received> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private long length;

  BoundedBody(Sink sink, long limit, boolean truncate, Runnable progress) {
    this.sink = sink;
    this.limit = limit;
    this.truncate = truncate;
    this.progress = progress;
  }

  static Sink memory() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    return new Sink() {
      @Override
      public void write(ByteBuffer bytes) {
        byte[] chunk = new byte[bytes.remaining()];
        bytes.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }

      @Override
      public byte[] bytes() {
        return buffer.toByteArray();
      }

      @Override
      public void close() {
      }
    };
  }

  static Sink file(Path target) throws IOException {
    FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    return new Sink() {
      @Override
      public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      }

      @Override
      public byte[] bytes() {
        return new byte[0];
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    progress.run();
    try {
      for (ByteBuffer buffer : buffers) {
        long room = limit - length;
        if (buffer.remaining() > room) {
          if (!truncate) {
            finish(new LimitExceeded(limit));
            return;
          }
          buffer.limit(buffer.position() + (int) room);
          accept(buffer);
          finish(null);
          return;
        }
        accept(buffer);
      }
      subscription.request(1);
    } catch (IOException e) {
      finish(e);
    }
  }

  @Override
  public void onError(Throwable failure) {
    closeSink();
    result.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    finish(null);
  }

  @Override
  public CompletionStage<Received> getBody() {
    return result;
  }

  private void accept(ByteBuffer buffer) throws IOException {
    length += buffer.remaining();
    sha256.update(buffer.duplicate());
    sink.write(buffer);
  }

  private void finish(IOException failure) {
    if (result.isDone()) {
      return;
    }
    try {
      sink.close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure != null) {
      result.completeExceptionally(failure);
    } else {
      result.complete(new Received(sink.bytes(), length, "sha256:" + HexFormat.of().formatHex(sha256.digest())));
    }
    // only now: cancelling makes the client fail the exchange, and the body's own outcome must be settled first
    if (failure != null || truncate && length >= limit) {
      subscription.cancel();
    }
  }

  /** Why the body was refused, if it was; the client may report the cancelled exchange instead. */
  Optional<IOException> refusal() {
    if (!result.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      result.join();
      return Optional.empty();
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause() instanceof IOException io ? Optional.of(io) : Optional.empty();
    }
  }

  private void closeSink() {
    try {
      sink.close();
    } catch (IOException ignored) {
      // the transfer already failed; that failure is the one reported
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
