package dev.modelship.controller.gitops;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * One branch of a GitOps remote and how to reach it: a local path or {@code file://} URL, HTTP(S) (token or basic
 * auth) or SSH (a private key, JGit's Apache MINA client). Credentials given in the URL are moved out of it, so
 * the URL can be shown and written into manifests.
 */
public final class GitRemote {
  private final URIish uri;
  private final String branch;
  private final GitCredentials credentials;

  private GitRemote(URIish uri, String branch, GitCredentials credentials) {
    this.uri = uri;
    this.branch = branch;
    this.credentials = credentials;
  }

  public static GitRemote of(String url, String branch, GitCredentials credentials) {
    if (branch == null || branch.isBlank() || branch.contains("..") || branch.startsWith("-")) {
      throw new IllegalArgumentException("'" + branch + "' is not a branch name");
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a git URL or path");
    }
    GitCredentials effective = credentials;
    if (uri.getScheme() != null && uri.getScheme().startsWith("http") && uri.getUser() != null) {
      effective = credentials.withUserInfo(uri.getUser(), uri.getPass());
      uri = uri.setUser(null).setPass(null);
    }
    if (uri.getScheme() == null && !uri.isRemote()) {
      try {
        uri = new URIish("file://" + Path.of(uri.getPath()).toAbsolutePath().normalize());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("'" + url + "' is not a usable path");
      }
    }
    return new GitRemote(uri, branch, effective);
  }

  /** The URL without credentials: safe to show and to write into Argo CD manifests. */
  public String url() {
    return uri.toString();
  }

  public String branch() {
    return branch;
  }

  /** The local folder, when the remote is on this machine. */
  public Path localPath() {
    return isLocal() ? Path.of(uri.getPath()) : null;
  }

  /** A {@code file://} remote (local paths are turned into those); scp-like {@code host:path} is not local. */
  public boolean isLocal() {
    return "file".equals(uri.getScheme());
  }

  URIish uri() {
    return uri;
  }

  /** Opens a transport with our credentials; closing the connection closes it and any SSH session factory. */
  Connection open(Repository repository) throws NotSupportedException, TransportException {
    Transport transport = Transport.open(repository, uri);
    CredentialsProvider provider = credentials.credentialsProvider();
    if (provider != null) {
      transport.setCredentialsProvider(provider);
    }
    SshdSessionFactory ssh = null;
    if (transport instanceof SshTransport) {
      ssh = sshSessionFactory();
      ((SshTransport) transport).setSshSessionFactory(ssh);
    }
    return new Connection(transport, ssh);
  }

  /** A transport and what it needs closed with it. */
  record Connection(Transport transport, SshdSessionFactory ssh) implements AutoCloseable {
    @Override
    public void close() {
      transport.close();
      if (ssh != null) {
        ssh.close();
      }
    }
  }

  private SshdSessionFactory sshSessionFactory() {
    Path home = Path.of(System.getProperty("user.home"));
    SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
        .setHomeDirectory(home.toFile())
        .setSshDirectory(home.resolve(".ssh").toFile());
    credentials.sshKey().ifPresent(key -> builder.setDefaultIdentities(dir -> List.of(key)));
    credentials.knownHosts().ifPresent(hosts -> builder.setDefaultKnownHostsFiles(dir -> List.of(hosts)));
    return builder.build(null);
  }

  /** {@code text} with every secret replaced by {@code ***}, for messages that quote a remote's answer. */
  String redact(String text) {
    String redacted = text == null ? "" : text;
    for (String secret : credentials.secrets()) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }

  @Override
  public String toString() {
    return url() + " (" + branch + ")";
  }
}
