package dev.modelship.controller.gitops;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * How to authenticate to the GitOps remote: a token or a user name and password over HTTP(S), a private key over
 * SSH. Read from the environment ({@code MODELSHIP_GIT_TOKEN}, {@code MODELSHIP_GIT_USERNAME},
 * {@code MODELSHIP_GIT_PASSWORD}, {@code MODELSHIP_GIT_SSH_KEY}, {@code MODELSHIP_GIT_SSH_KNOWN_HOSTS}), never from a
 * command line (which other users of the machine can read). {@link #toString()} shows no secret.
 */
public final class GitCredentials {
  /** The user name sent with a bare token; GitHub and Gitea accept any, GitHub App tokens need this one. */
  static final String TOKEN_USERNAME = "x-access-token";

  private final String username;
  private final String secret;
  private final Path sshKey;
  private final Path knownHosts;

  private GitCredentials(String username, String secret, Path sshKey, Path knownHosts) {
    this.username = username;
    this.secret = secret;
    this.sshKey = sshKey;
    this.knownHosts = knownHosts;
  }

  public static GitCredentials none() {
    return new GitCredentials(null, null, null, null);
  }

  public static GitCredentials fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static GitCredentials fromEnvironment(Map<String, String> env) {
    String token = blankToNull(env.get("MODELSHIP_GIT_TOKEN"));
    String username = blankToNull(env.get("MODELSHIP_GIT_USERNAME"));
    String password = blankToNull(env.get("MODELSHIP_GIT_PASSWORD"));
    if (token != null && password != null) {
      throw new IllegalArgumentException("set MODELSHIP_GIT_TOKEN or MODELSHIP_GIT_PASSWORD, not both");
    }
    if (password != null && username == null) {
      throw new IllegalArgumentException("MODELSHIP_GIT_PASSWORD needs MODELSHIP_GIT_USERNAME");
    }
    String key = blankToNull(env.get("MODELSHIP_GIT_SSH_KEY"));
    String hosts = blankToNull(env.get("MODELSHIP_GIT_SSH_KNOWN_HOSTS"));
    return new GitCredentials(token != null && username == null ? TOKEN_USERNAME : username,
        token != null ? token : password, key == null ? null : Path.of(key), hosts == null ? null : Path.of(hosts));
  }

  /** User name and password (or token) for HTTP(S). */
  public static GitCredentials basic(String username, String password) {
    return new GitCredentials(username, password, null, null);
  }

  public static GitCredentials token(String token) {
    return new GitCredentials(TOKEN_USERNAME, token, null, null);
  }

  /** These credentials with an SSH private key (without passphrase) and a known_hosts file; null keeps the current. */
  public GitCredentials withSshKey(Path key, Path knownHostsFile) {
    return new GitCredentials(username, secret, key == null ? sshKey : key,
        knownHostsFile == null ? knownHosts : knownHostsFile);
  }

  /** These credentials with the user name and password found in a URL's user-info part, if it has them. */
  GitCredentials withUserInfo(String user, String password) {
    if (password == null) {
      return username == null && user != null ? new GitCredentials(user, secret, sshKey, knownHosts) : this;
    }
    return new GitCredentials(user, password, sshKey, knownHosts);
  }

  /** For HTTP(S); null when there is nothing to send. */
  CredentialsProvider credentialsProvider() {
    return secret == null ? null : new UsernamePasswordCredentialsProvider(username, secret);
  }

  Optional<Path> sshKey() {
    return Optional.ofNullable(sshKey);
  }

  Optional<Path> knownHosts() {
    return Optional.ofNullable(knownHosts);
  }

  /** The strings no message may show. */
  Set<String> secrets() {
    Set<String> secrets = new LinkedHashSet<>();
    if (secret != null) {
      secrets.add(secret);
    }
    return secrets;
  }

  @Override
  public String toString() {
    return "GitCredentials[" + (secret == null ? "no password" : "user " + username + ", password ***")
        + (sshKey == null ? "" : ", ssh key " + sshKey) + "]";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
