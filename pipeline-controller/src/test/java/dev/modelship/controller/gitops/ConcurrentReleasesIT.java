package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers in one JVM releasing into one repository at the same moment. */
class ConcurrentReleasesIT {
  @TempDir
  Path folder;

  @Test
  void everyReleaseFromConcurrentThreadsLandsExactlyOnce() throws Exception {
    Path bare = GitFixtures.initialisedRepository(folder);
    int before = GitFixtures.log(bare).size();
    List<ReleaseRequest> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(GitFixtures.release("model-" + i, 1, i % 2 == 0 ? "staging" : "production"));
    }
    requests.add(GitFixtures.release("clicks", 4, "staging"));
    requests.add(GitFixtures.release("clicks", 4, "staging"));
    ExecutorService threads = Executors.newFixedThreadPool(requests.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ReleaseCommit>> results = new ArrayList<>();
    try {
      for (ReleaseRequest request : requests) {
        ReleaseWriter writer = GitFixtures.writer(GitFixtures.local(bare), event -> { });
        Callable<ReleaseCommit> task = () -> {
          start.await();
          return writer.release(request);
        };
        results.add(threads.submit(task));
      }
      start.countDown();
      List<ReleaseCommit> commits = new ArrayList<>();
      for (Future<ReleaseCommit> result : results) {
        commits.add(result.get(2, TimeUnit.MINUTES));
      }

      assertThat(commits.subList(0, 6)).allMatch(ReleaseCommit::created);
      assertThat(commits.subList(6, 8)).extracting(ReleaseCommit::created).containsExactlyInAnyOrder(true, false);
    } finally {
      threads.shutdownNow();
    }
    Map<String, Integer> releasesByTarget = releasesByTarget(GitFixtures.log(bare));
    Map<String, Integer> expected = new TreeMap<>();
    requests.forEach(r -> expected.put(r.version() + "@" + r.environment(), 1));
    assertThat(releasesByTarget).isEqualTo(expected);
    assertThat(GitFixtures.log(bare)).hasSize(before + 7);
    for (ReleaseRequest request : requests) {
      assertThat(KustomizationImages.find(GitFixtures.read(bare, RepoLayout.kustomization(request.version().name(),
          request.environment())), RepoLayout.IMAGE_NAME)).contains(KustomizationImages.Entry.pinning(
          request.image()));
    }
  }

  /** How many release commits each model version and environment has, from the trailers. */
  static Map<String, Integer> releasesByTarget(List<RevCommit> log) {
    Map<String, Integer> counts = new TreeMap<>();
    for (RevCommit commit : log) {
      Map<String, String> trailers = new TreeMap<>();
      for (FooterLine footer : commit.getFooterLines()) {
        trailers.put(footer.getKey(), footer.getValue());
      }
      if ("release".equals(trailers.get("Modelship-Action"))) {
        counts.merge(trailers.get("Modelship-Model") + ":" + trailers.get("Modelship-Version") + "@"
            + trailers.get("Modelship-Env"), 1, Integer::sum);
      }
    }
    return counts;
  }
}
