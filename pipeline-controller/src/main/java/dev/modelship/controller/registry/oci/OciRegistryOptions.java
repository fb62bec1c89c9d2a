package dev.modelship.controller.registry.oci;

import java.time.Duration;

/**
 * How to talk to an OCI registry.
 *
 * @param allowInsecureHttp speak plain HTTP instead of HTTPS; never a fallback, only when asked for
 * @param username with {@code password}, the registry credentials; both null to look them up in the environment
 *     ({@code MODELSHIP_REGISTRY_USERNAME}/{@code MODELSHIP_REGISTRY_PASSWORD}), then in
 *     {@code ~/.docker/config.json}
 * @param password see {@code username}; never printed
 * @param timeout how long the registry may stay silent: connecting, waiting for an answer, or between two pieces
 *     of a transfer (a large model may take longer in total, as long as bytes keep moving)
 * @param maxBlobBytes the largest file a fetch accepts, so a hostile registry cannot fill the disk
 */
public record OciRegistryOptions(
    boolean allowInsecureHttp, String username, String password, Duration timeout, long maxBlobBytes) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_BLOB_BYTES = 4L << 30;

  public OciRegistryOptions {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("registry timeout must be positive, got " + timeout);
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("registry username and password go together: give both or neither");
    }
    if (maxBlobBytes < 1) {
      throw new IllegalArgumentException("maxBlobBytes must be positive, got " + maxBlobBytes);
    }
  }

  public OciRegistryOptions(boolean allowInsecureHttp, String username, String password, Duration timeout) {
    this(allowInsecureHttp, username, password, timeout, DEFAULT_MAX_BLOB_BYTES);
  }

  /** HTTPS, credentials from the environment, the default timeout and size limit. */
  public static OciRegistryOptions defaults() {
    return new OciRegistryOptions(false, null, null, DEFAULT_TIMEOUT);
  }

  public OciRegistryOptions withMaxBlobBytes(long limit) {
    return new OciRegistryOptions(allowInsecureHttp, username, password, timeout, limit);
  }

  @Override
  public String toString() {
    return "OciRegistryOptions[allowInsecureHttp=" + allowInsecureHttp + ", username=" + username + ", password="
        + (password == null ? "null" : "****") + ", timeout=" + timeout + ", maxBlobBytes=" + maxBlobBytes + "]";
  }
}
