package dev.modelship.controller.local;

import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Crash injection for the resume tests: {@code MODELSHIP_HALT_AT=<stage>:before} stops the controller's JVM the way
 * {@code kill -9} does (no shutdown hook runs, the serving instances it started stay up) right after the stage's
 * start is journaled; {@code <stage>:after} once the stage has done its work (image built, commit pushed) but
 * before its success is journaled, the worst moment for a resume. Never set outside tests: it exists so that
 * "a restarted controller resumes every unfinished run, nothing twice" is tested at every stage, not argued.
 */
record HaltPoint(String stage, boolean after) {
  static final String VARIABLE = "MODELSHIP_HALT_AT";
  /** The exit status of a halted controller, as a shell reports a process killed by SIGKILL. */
  static final int STATUS = 137;

  /** The halt point in {@code env}, if set; a malformed one, or one naming no stage, is an error. */
  static Optional<HaltPoint> from(Map<String, String> env, List<String> stageNames) {
    String value = env.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    int colon = value.lastIndexOf(':');
    String stage = colon < 0 ? "" : value.substring(0, colon);
    String when = colon < 0 ? "" : value.substring(colon + 1);
    if (!stageNames.contains(stage) || !(when.equals("before") || when.equals("after"))) {
      throw new IllegalArgumentException(VARIABLE + "=" + value + " is not <stage>:before or <stage>:after with "
          + "a stage of " + stageNames);
    }
    return Optional.of(new HaltPoint(stage, when.equals("after")));
  }

  /** {@code stage} itself, or, when it is the halt point's, the stage that halts before or after its work. */
  Stage wrap(Stage stage) {
    if (!stage.name().equals(this.stage)) {
      return stage;
    }
    return new Stage() {
      @Override
      public String name() {
        return stage.name();
      }

      @Override
      public Result run(PipelineRun run, EventSink events) throws Exception {
        if (!after) {
          halt(run);
        }
        Result result = stage.run(run, events);
        halt(run);
        return result;
      }
    };
  }

  private void halt(PipelineRun run) {
    System.err.println(VARIABLE + ": halting " + (after ? "after " : "before ") + stage + " of " + run.id());
    System.err.flush();
    Runtime.getRuntime().halt(STATUS);
  }
}
