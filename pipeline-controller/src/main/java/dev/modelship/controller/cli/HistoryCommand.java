package dev.modelship.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.ReleaseEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship history}: a model's releases, promotions, rollbacks and edits, from git. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List a model app's releases, promotions and rollbacks (from their Modelship-* trailers) and "
        + "other commits touching it, newest first: when, what, which version, who, why.")
public final class HistoryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
  String model;

  @Option(names = "--env", paramLabel = "ENV", description = "Only this environment's overlay.")
  String environment;

  @Option(names = "--json", description = "One JSON array of events.")
  boolean json;

  @Mixin
  GitOpsOptions options;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final GitOpsAccess access;

  public HistoryCommand() {
    this(GitOpsAccess.fromEnvironment());
  }

  HistoryCommand(GitOpsAccess access) {
    this.access = access;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<ReleaseEvent> events = access.writer(options, err).history(model, environment);
      if (json) {
        out.println(toJson(events));
      } else if (events.isEmpty()) {
        out.println("no commits touch apps/" + model + "/" + (environment == null ? "" : "overlays/" + environment
            + "/"));
      } else {
        events.forEach(event -> out.println(line(event)));
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (GitOpsException e) {
      err.println("error: " + e.getMessage());
      return GitOpsAccess.exitCode(e);
    }
  }

  private static String line(ReleaseEvent event) {
    String what = event.setsImage() ? String.format("%-8s %-11s %s:%s", event.action().label(), event.environment(),
        event.model(), event.version()) : String.format("%-8s %-11s %s", "edit", "-", "-");
    String replaces = event.replaces() == null ? "" : " (replaces " + event.replaces() + ")";
    return event.time() + "  " + event.sha().substring(0, 12) + "  " + what + replaces + "  " + event.author() + "  "
        + event.why();
  }

  private static String toJson(List<ReleaseEvent> events) {
    try {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ReleaseEvent event : events) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sha", event.sha());
        row.put("time", event.time().toString());
        row.put("action", event.action().label());
        row.put("model", event.model());
        row.put("version", event.version());
        row.put("environment", event.environment());
        row.put("image", event.image());
        row.put("run", event.run());
        row.put("replaces", event.replaces());
        row.put("author", event.author());
        row.put("subject", event.subject());
        row.put("why", event.why());
        rows.add(row);
      }
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the history as JSON", e);
    }
  }
}
