package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where registry credentials come from, first found wins: a username and password in the environment (one pair
 * for the target registry, one for the base image's), then the Docker config ({@code $DOCKER_CONFIG/config.json},
 * else {@code ~/.docker/config.json}: its {@code auths}, {@code credHelpers} and {@code credsStore}), then the
 * well-known credential helpers Jib knows (gcloud, ECR). None found means anonymous. Environment variables, never
 * command-line options, so a password never shows in a process listing; every password found is handed to the
 * {@link Redactor}.
 */
final class CredentialSources {
  static final String TARGET_USERNAME_ENV = "MODELSHIP_IMAGE_REGISTRY_USERNAME";
  static final String TARGET_PASSWORD_ENV = "MODELSHIP_IMAGE_REGISTRY_PASSWORD";
  static final String BASE_USERNAME_ENV = "MODELSHIP_BASE_REGISTRY_USERNAME";
  static final String BASE_PASSWORD_ENV = "MODELSHIP_BASE_REGISTRY_PASSWORD";

  private final Map<String, String> env;
  private final Path userHome;

  CredentialSources(Map<String, String> env, Path userHome) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
  }

  List<CredentialRetriever> forTarget(ImageReference image, Redactor redactor, Consumer<LogEvent> log)
      throws ImageBuildException {
    return retrievers(image, TARGET_USERNAME_ENV, TARGET_PASSWORD_ENV, redactor, log);
  }

  List<CredentialRetriever> forBase(ImageReference image, Redactor redactor, Consumer<LogEvent> log)
      throws ImageBuildException {
    return retrievers(image, BASE_USERNAME_ENV, BASE_PASSWORD_ENV, redactor, log);
  }

  /** The Docker config file in effect. */
  Path dockerConfig() {
    String folder = env.get("DOCKER_CONFIG");
    return (folder != null && !folder.isBlank() ? Path.of(folder) : userHome.resolve(".docker"))
        .resolve("config.json");
  }

  private List<CredentialRetriever> retrievers(ImageReference image, String usernameEnv, String passwordEnv,
                                               Redactor redactor, Consumer<LogEvent> log) throws ImageBuildException {
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(image, log, env);
    List<CredentialRetriever> retrievers = new ArrayList<>();
    String username = env.get(usernameEnv);
    String password = env.get(passwordEnv);
    if (username != null || password != null) {
      if (username == null || password == null || username.isEmpty()) {
        throw new ImageBuildException(ImageBuildException.Kind.INVALID, "set both " + usernameEnv + " and "
            + passwordEnv + ", or neither");
      }
      retrievers.add(factory.known(Credential.from(username, password), "$" + usernameEnv));
    }
    retrievers.add(factory.dockerConfig(dockerConfig()));
    retrievers.add(factory.wellKnownCredentialHelpers());
    return retrievers.stream().map(retriever -> remembering(retriever, redactor)).toList();
  }

  private static CredentialRetriever remembering(CredentialRetriever retriever, Redactor redactor) {
    return () -> {
      Optional<Credential> credential = retriever.retrieve();
      credential.ifPresent(found -> redactor.add(found.getUsername(), found.getPassword()));
      return credential;
    };
  }
}
