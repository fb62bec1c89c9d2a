package dev.modelship.controller.cli;

import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.PinnedImage;
import dev.modelship.controller.gitops.ReleaseCommit;
import dev.modelship.controller.gitops.ReleaseRequest;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship release}: commit a model version's serving image to an environment of the GitOps repository. */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = {"Pin a version's serving image (by digest) in apps/<name>/overlays/<env>/ of the GitOps "
        + "repository: the overlay's images: entry and release.yaml, nothing else; commit and push. The first "
        + "release of a model scaffolds its app from templates/model-app/.",
        "The version must have passed validation (its report in $MODELSHIP_HOME/validations, or --validation); the "
            + "report's summary goes into the commit body. Already released: nothing is committed.",
        "Exit code: 0 released (or already), 1 not validated as passed, or a concurrent change to the same "
            + "overlay, 2 error."})
public final class ReleaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME:VERSION", description = "The model version, e.g. clicks:3.")
  String ref;

  @Option(names = "--image", required = true, paramLabel = "REF@DIGEST",
      description = "The serving image, pinned: registry/repository[:tag]@sha256:<64 hex>.")
  String image;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "The environment: an overlay of "
      + "templates/model-app/ (staging, production).")
  String environment;

  @Option(names = "--validation", paramLabel = "FILE", description = "The validation report (JSON, as `modelship "
      + "validate --json` prints it) instead of the stored one.")
  Path validationFile;

  @Option(names = "--allow-unvalidated", description = "Release a version that has no validation report (a "
      + "rejected one is never released).")
  boolean allowUnvalidated;

  @Mixin
  GitOpsOptions options;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final GitOpsAccess access;

  public ReleaseCommand() {
    this(GitOpsAccess.fromEnvironment());
  }

  ReleaseCommand(GitOpsAccess access) {
    this.access = access;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ModelVersionRef version = ModelVersionRef.parse(ref);
      PinnedImage pinned = PinnedImage.parse(image);
      Optional<ValidationReport> report = validation(version);
      if (report.isPresent() && report.get().outcome() != Outcome.PASSED) {
        err.println("error: " + version + " did not pass validation (" + report.get().outcome() + "); not released:");
        err.print(report.get().summary());
        return 1;
      }
      if (report.isEmpty() && !allowUnvalidated) {
        err.println("error: no validation report for " + version + ": run `modelship validate " + version + "` "
            + "first, give --validation FILE, or --allow-unvalidated");
        return 2;
      }
      ReleaseCommit commit = access.writer(options, err).release(new ReleaseRequest(version, pinned, environment,
          access.run(options), report.orElse(null), access.author(options)));
      out.println((commit.created() ? "released " + version + " to " + environment + ": "
          : version + " is already released to " + environment + ", nothing committed: ") + commit.sha());
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: cannot read the validation report: " + e.getMessage());
      return 2;
    } catch (GitOpsException e) {
      err.println("error: " + e.getMessage());
      return GitOpsAccess.exitCode(e);
    }
  }

  private Optional<ValidationReport> validation(ModelVersionRef version) throws IOException {
    if (validationFile == null) {
      return ValidationStore.in(access.home()).find(version);
    }
    ValidationReport report = ValidationReport.fromJson(Files.readString(validationFile));
    if (!report.model().equals(version.name()) || (report.version() != null
        && !report.version().equals(version.versionText()))) {
      throw new IllegalArgumentException(validationFile + " is the report of " + report.model() + ":"
          + report.version() + ", not " + version);
    }
    return Optional.of(report);
  }
}
