package dev.modelship.controller.gitops;

import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.junit.http.AppServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's smart HTTP server (GitServlet on Jetty) serving one bare repository as {@code /git/gitops.git}, behind
 * HTTP basic auth ({@link #USER} / {@link #PASSWORD}); pushes need the authenticated user.
 */
final class GitHttpServer implements AutoCloseable {
  static final String USER = AppServer.username;
  static final String PASSWORD = AppServer.password;

  private final AppServer server;
  private final Repository repository;

  private GitHttpServer(AppServer server, Repository repository) {
    this.server = server;
    this.repository = repository;
  }

  static GitHttpServer serve(Path bare) throws Exception {
    Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
    AppServer server = new AppServer();
    ServletContextHandler context = server.addContext("/git");
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver((request, name) -> {
      if (!"gitops.git".equals(name)) {
        throw new RepositoryNotFoundException(name);
      }
      repository.incrementOpen();
      return repository;
    });
    context.addServlet(new ServletHolder(servlet), "/*");
    server.authBasic(context);
    server.setUp();
    return new GitHttpServer(server, repository);
  }

  String url() {
    return "http://127.0.0.1:" + server.getPort() + "/git/gitops.git";
  }

  @Override
  public void close() throws Exception {
    server.tearDown();
    repository.close();
  }
}
