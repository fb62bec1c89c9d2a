package dev.modelship.controller.gitops;

import dev.modelship.controller.validate.ValidationReport;
import java.util.regex.Pattern;

/**
 * The commit messages of releases, promotions and rollbacks: a conventional subject, a body for people and
 * {@code Modelship-*} trailers that {@code modelship history} (and the controller) read back.
 */
final class CommitMessages {
  static final String ACTION = "Modelship-Action";
  static final String MODEL = "Modelship-Model";
  static final String VERSION = "Modelship-Version";
  static final String ENVIRONMENT = "Modelship-Env";
  static final String IMAGE = "Modelship-Image";
  static final String RUN = "Modelship-Run";
  static final String REPLACES = "Modelship-Replaces";
  static final String FROM = "Modelship-From";
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}");

  private CommitMessages() {
  }

  static String requireRun(String run) {
    if (run == null || !RUN_ID.matcher(run).matches()) {
      throw new IllegalArgumentException("'" + run + "' is not a run id (letters, digits, '_', '.', ':', '/', '-')");
    }
    return run;
  }

  static String release(ReleaseRequest request, OverlayState previous, boolean scaffolded) {
    String model = request.version().name();
    StringBuilder body = new StringBuilder();
    body.append("Image: ").append(request.image()).append('\n');
    body.append("Digest: ").append(request.image().digest()).append('\n');
    body.append(replaces(model, request.environment(), previous, scaffolded));
    ValidationReport report = request.validation();
    if (report == null) {
      body.append("Validation: no report recorded for ").append(request.version()).append('\n');
    } else {
      String[] summary = report.summary().split("\n");
      body.append("Validation: ").append(summary[0]).append('\n');
      for (int i = 1; i < summary.length; i++) {
        body.append(summary[i]).append('\n');
      }
    }
    return "release(" + model + "): " + request.version().versionText() + " to " + request.environment() + "\n\n"
        + body + "\n" + trailers("release", model, request.version().versionText(), request.environment(),
        request.image(), request.run());
  }

  static String promotion(PromotionRequest request, String version, PinnedImage image, String sourceCommit,
                          OverlayState previous, boolean scaffolded) {
    return "promote(" + request.model() + "): " + version + " from " + request.from() + " to " + request.to()
        + "\n\n"
        + "Image: " + image + "\n"
        + replaces(request.model(), request.to(), previous, scaffolded)
        + "Runs in " + request.from() + " since " + abbreviate(sourceCommit) + ".\n\n"
        + trailers("promote", request.model(), version, request.to(), image, request.run())
        + FROM + ": " + request.from() + "\n";
  }

  static String rollback(RollbackRequest request, ReleaseEvent target, OverlayState previous, String revertedSha) {
    String model = request.model();
    StringBuilder body = new StringBuilder("Restores " + model + ":" + target.version() + " (" + target.image()
        + ") in " + request.environment() + ", replacing " + previous.describe(model) + ".\n");
    if (revertedSha != null) {
      body.append("This reverts commit ").append(revertedSha).append(".\n");
    }
    if (request.reason() != null && !request.reason().isBlank()) {
      body.append("Reason: ").append(request.reason().strip().replace('\n', ' ')).append('\n');
    }
    PinnedImage image = PinnedImage.parse(target.image());
    return "rollback(" + model + "): " + request.environment() + " to " + target.version() + "\n\n" + body + "\n"
        + trailers("rollback", model, target.version(), request.environment(), image, request.run())
        + (previous.version() == null ? "" : REPLACES + ": " + previous.version() + "\n");
  }

  private static String replaces(String model, String environment, OverlayState previous, boolean scaffolded) {
    if (scaffolded) {
      return "First release of " + model + " to " + environment + ": " + RepoLayout.overlayFolder(model, environment)
          + " scaffolded from " + RepoLayout.APP_TEMPLATE + ".\n";
    }
    return "Replaces: " + previous.describe(model) + "\n";
  }

  private static String trailers(String action, String model, String version, String environment, PinnedImage image,
                                 String run) {
    return ACTION + ": " + action + "\n"
        + MODEL + ": " + model + "\n"
        + VERSION + ": " + version + "\n"
        + ENVIRONMENT + ": " + environment + "\n"
        + IMAGE + ": " + image + "\n"
        + RUN + ": " + run + "\n";
  }

  private static String abbreviate(String sha) {
    return sha == null ? "an unknown commit" : sha.substring(0, Math.min(12, sha.length()));
  }
}
