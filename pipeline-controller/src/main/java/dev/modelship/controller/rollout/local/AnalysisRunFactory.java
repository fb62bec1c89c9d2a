package dev.modelship.controller.rollout.local;

import dev.modelship.controller.analysis.AnalysisRun;
import dev.modelship.controller.analysis.AnalysisSpecException;
import java.util.List;
import java.util.Map;

/** Creates the analysis run of a step or of the background analysis, from template names and resolved args. */
public interface AnalysisRunFactory {
  AnalysisRun create(String id, List<String> templates, Map<String, String> args) throws AnalysisSpecException;
}
