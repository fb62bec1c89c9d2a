package dev.modelship.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.serving.model.ModelNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship models}: what the registry holds. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"List the models in the registry, or one model's versions with digest, publish time and "
        + "validation outcome (PASSED, REJECTED, ERROR, or - when not validated yet).",
        "Exit status: 0 listed, 1 no such model or registry unavailable, 2 wrong usage."})
public final class ModelsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Set<String> OUTCOMES = Set.of("PASSED", "REJECTED", "ERROR");
  private static final String NOT_VALIDATED = "-";
  private static final String UNREADABLE = "unreadable";

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model: list its versions.")
  String name;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--registry", paramLabel = "URL", description = "A folder, file:PATH or "
      + "oci://HOST[:PORT]/REPOSITORY (default: $MODELSHIP_REGISTRY, else the registry in the Modelship home).")
  String registry;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final RegistryAccess access;

  public ModelsCommand() {
    this(RegistryAccess.fromEnvironment());
  }

  public ModelsCommand(RegistryAccess access) {
    this.access = access;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (name != null && !ModelNames.isValidName(name)) {
      err.println("error: '" + name + "' is not a valid model name");
      return CommandLine.ExitCode.USAGE;
    }
    ModelRegistry source;
    try {
      source = access.open(registry);
    } catch (RegistryException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    try {
      return name == null ? listModels(source) : listVersions(source);
    } catch (RegistryException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  private int listModels(ModelRegistry source) throws RegistryException, IOException {
    PrintWriter out = spec.commandLine().getOut();
    ArrayNode rows = JSON.createArrayNode();
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-32s %8s %8s  %s%n", "MODEL", "VERSIONS",
        "LATEST", "PUBLISHED"));
    for (String model : source.models()) {
      List<PublishedVersion> versions = source.versions(model);
      if (versions.isEmpty()) {
        continue;
      }
      PublishedVersion latest = versions.get(versions.size() - 1);
      rows.addObject().put("name", model).put("versions", versions.size())
          .put("latest", latest.ref().version()).put("latest_digest", latest.digest())
          .put("published_at", latest.publishedAt().toString());
      table.append(String.format(Locale.ROOT, "%-32s %8d %8d  %s%n", model, versions.size(), latest.ref().version(),
          latest.publishedAt().truncatedTo(ChronoUnit.SECONDS)));
    }
    if (json) {
      out.println(JSON.writeValueAsString(rows));
    } else if (rows.isEmpty()) {
      out.println("no models in " + source.location());
    } else {
      out.print(table);
    }
    return CommandLine.ExitCode.OK;
  }

  private int listVersions(ModelRegistry source) throws RegistryException, IOException {
    List<PublishedVersion> versions = source.versions(name);
    if (versions.isEmpty()) {
      spec.commandLine().getErr().println("error: no model '" + name + "' in " + source.location());
      return CommandLine.ExitCode.SOFTWARE;
    }
    ArrayNode rows = JSON.createArrayNode();
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-8s %-71s %-20s  %s%n", "VERSION", "DIGEST",
        "PUBLISHED", "VALIDATION"));
    for (PublishedVersion version : versions) {
      Optional<String> outcome = validationOutcome(version);
      ObjectNode row = rows.addObject().put("name", name).put("version", version.ref().version())
          .put("digest", version.digest()).put("published_at", version.publishedAt().toString());
      row.put("validation", outcome.orElse(null));
      table.append(String.format(Locale.ROOT, "%-8d %-71s %-20s  %s%n", version.ref().version(), version.digest(),
          version.publishedAt().truncatedTo(ChronoUnit.SECONDS), outcome.orElse(NOT_VALIDATED)));
    }
    spec.commandLine().getOut().print(json ? JSON.writeValueAsString(rows) + System.lineSeparator() : table);
    return CommandLine.ExitCode.OK;
  }

  /** The outcome recorded by the validation stage, if it has run; a report that cannot be read says so. */
  private Optional<String> validationOutcome(PublishedVersion version) {
    Path report = access.home().validations().resolve(version.ref().name())
        .resolve(version.ref().versionText() + ".json");
    try {
      JsonNode outcome = JSON.readTree(Files.readAllBytes(report)).path("outcome");
      return Optional.of(OUTCOMES.contains(outcome.asText()) ? outcome.asText() : UNREADABLE);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(UNREADABLE);
    }
  }
}
