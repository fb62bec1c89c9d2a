package dev.modelship.controller.rollout.local;

import dev.modelship.controller.rollout.RolloutDriver;
import dev.modelship.controller.rollout.RolloutStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local engine for several environments of one GitOps repository (staging, production), one
 * {@link LocalRolloutDriver} each, seen by the API and CLI as one driver. Without an environment, promote and abort
 * mean the last one (production), as a cluster's default context would.
 */
public final class EnvironmentDrivers implements RolloutDriver, AutoCloseable {
  private final Map<String, LocalRolloutDriver> drivers = new LinkedHashMap<>();

  /** @param drivers in promotion order, the last one production */
  public EnvironmentDrivers(List<LocalRolloutDriver> drivers) {
    if (drivers.isEmpty()) {
      throw new IllegalArgumentException("at least one environment");
    }
    for (LocalRolloutDriver driver : drivers) {
      if (this.drivers.put(driver.environment(), driver) != null) {
        throw new IllegalArgumentException("environment " + driver.environment() + " given twice");
      }
    }
  }

  public List<String> environments() {
    return List.copyOf(drivers.keySet());
  }

  public LocalRolloutDriver driver(String environment) {
    LocalRolloutDriver driver = drivers.get(environment);
    if (driver == null) {
      throw new IllegalArgumentException("no environment '" + environment + "' (running: " + drivers.keySet() + ")");
    }
    return driver;
  }

  private LocalRolloutDriver target(String environment) {
    return environment == null ? drivers.get(environments().get(drivers.size() - 1)) : driver(environment);
  }

  /** An app's status in one environment. */
  public Optional<RolloutStatus> status(String app, String environment) {
    return driver(environment).statuses().stream().filter(status -> status.name().equals(app)).findFirst();
  }

  @Override
  public List<RolloutStatus> statuses() {
    List<RolloutStatus> statuses = new ArrayList<>();
    drivers.values().forEach(driver -> statuses.addAll(driver.statuses()));
    return statuses;
  }

  @Override
  public RolloutStatus promote(String app, String environment, boolean full) throws Exception {
    return target(environment).promote(app, null, full);
  }

  @Override
  public RolloutStatus abort(String app, String environment, String reason) throws Exception {
    return target(environment).abort(app, null, reason);
  }

  public void start() {
    drivers.values().forEach(LocalRolloutDriver::start);
  }

  @Override
  public void close() {
    drivers.values().forEach(LocalRolloutDriver::close);
  }
}
