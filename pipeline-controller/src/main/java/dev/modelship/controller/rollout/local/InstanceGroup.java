package dev.modelship.controller.rollout.local;

import dev.modelship.controller.rollout.RolloutSpec;
import java.time.Duration;
import java.util.List;

/** The instances running one image (Argo's ReplicaSet), with the spec they were started for. */
record InstanceGroup(RolloutSpec spec, List<Instance> instances, List<Backend> backends) {

  static InstanceGroup start(InstanceLauncher launcher, RolloutSpec spec, String role) throws Exception {
    List<Instance> instances = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < Math.max(1, spec.replicas()); i++) {
        instances.add(launcher.start(spec.name(), spec.image(), i));
      }
    } catch (Exception e) {
      instances.forEach(instance -> instance.stop(Duration.ZERO));
      throw e;
    }
    List<Backend> backends = new java.util.ArrayList<>();
    for (Instance instance : instances) {
      backends.add(new Backend(role + "-" + instance.name(), instance.base()));
    }
    return new InstanceGroup(spec, List.copyOf(instances), List.copyOf(backends));
  }

  String image() {
    return spec.image();
  }

  /** Stops every instance once the router no longer has requests in flight to it. */
  void drainAndStop(WeightedRouter router, Duration drain) throws InterruptedException {
    for (int i = 0; i < instances.size(); i++) {
      router.awaitIdle(backends.get(i), drain);
      instances.get(i).stop(drain);
    }
  }
}
