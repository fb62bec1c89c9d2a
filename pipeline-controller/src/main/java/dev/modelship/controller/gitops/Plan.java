package dev.modelship.controller.gitops;

import java.util.Map;

/**
 * What one attempt of a GitOps write decided from the fetched branch: the files to write and the commit message,
 * or nothing to do and why.
 *
 * @param files path to new content (null deletes); empty when nothing is to be done
 */
record Plan(Map<String, String> files, String message, String reason) {

  static Plan commit(Map<String, String> files, String message) {
    return new Plan(Map.copyOf(files), message, null);
  }

  static Plan unchanged(String reason) {
    return new Plan(Map.of(), null, reason);
  }

  boolean isUnchanged() {
    return message == null;
  }
}
