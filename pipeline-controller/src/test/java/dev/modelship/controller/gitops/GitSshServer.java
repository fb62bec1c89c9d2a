package dev.modelship.controller.gitops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git server over SSH for the tests: Apache MINA SSHD (the library JGit's SSH client is built on) running JGit's
 * upload-pack and receive-pack for one bare repository, {@code ssh://git@127.0.0.1:PORT/gitops.git}. Only the
 * user {@code git} with {@link #clientKey()} gets in.
 */
final class GitSshServer implements AutoCloseable {
  private final SshServer server;
  private final Repository repository;
  private final KeyPair hostKey;
  private final KeyPair clientKey;

  private GitSshServer(SshServer server, Repository repository, KeyPair hostKey, KeyPair clientKey) {
    this.server = server;
    this.repository = repository;
    this.hostKey = hostKey;
    this.clientKey = clientKey;
  }

  static GitSshServer serve(Path bare) throws IOException, GeneralSecurityException {
    Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
    KeyPair hostKey = ecKey();
    KeyPair clientKey = ecKey();
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> "git".equals(user)
        && KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setCommandFactory(new GitCommands(repository));
    server.start();
    return new GitSshServer(server, repository, hostKey, clientKey);
  }

  String url() {
    return "ssh://git@127.0.0.1:" + server.getPort() + "/gitops.git";
  }

  KeyPair clientKey() {
    return clientKey;
  }

  /** Writes the client key (OpenSSH format, no passphrase) and a known_hosts naming this server; returns the key. */
  Path writeClientFiles(Path folder, Path knownHosts) throws IOException, GeneralSecurityException {
    Path key = folder.resolve("id_ecdsa");
    try (OutputStream out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "modelship-test", null, out);
    }
    Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(
        hostKey.getPublic()) + "\n", StandardCharsets.UTF_8);
    return key;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
    repository.close();
  }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** {@code git-upload-pack '/gitops.git'} and {@code git-receive-pack '/gitops.git'}, served by JGit. */
  private record GitCommands(Repository repository) implements CommandFactory {
    @Override
    public Command createCommand(ChannelSession channel, String command) {
      List<String> words = CommandFactory.split(command);
      return new GitCommand(repository, words.get(0), words.size() > 1 ? words.get(1) : "");
    }
  }

  private static final class GitCommand implements Command {
    private final Repository repository;
    private final String program;
    private final String path;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(Repository repository, String program, String path) {
      this.repository = repository;
      this.program = program;
      this.path = path;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment environment) {
      Thread worker = new Thread(this::serve, "git-ssh-" + program);
      worker.setDaemon(true);
      worker.start();
    }

    private void serve() {
      try {
        if (!path.replaceAll("^/+", "").equals("gitops.git")) {
          err.write(("no repository " + path + "\n").getBytes(StandardCharsets.UTF_8));
          err.flush();
          exit.onExit(1);
          return;
        }
        switch (program) {
          case "git-upload-pack" -> new UploadPack(repository).upload(in, out, err);
          case "git-receive-pack" -> new ReceivePack(repository).receive(in, out, err);
          default -> {
            exit.onExit(127, "unknown command " + program);
            return;
          }
        }
        exit.onExit(0);
      } catch (IOException e) {
        exit.onExit(1, e.getMessage());
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      // The worker ends with the channel's streams.
    }
  }
}
