package dev.vigil.node.run;

import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.storage.VigilDatabase;
import dev.vigil.storage.WriteHealth;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every second: lets a database whose writes fail try again (a quiet node may not write for a
 * while, and readiness should turn green as soon as the disk is back), and copies its write health
 * into the metrics. Runs on the blocking dispatcher: a retry reopens RocksDB.
 */
final class DiskWatch {
  static final Duration PERIOD = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(DiskWatch.class);

  private final VigilDatabase db;
  private final NodeMetrics metrics;
  private long failures, recoveries;

  private DiskWatch(VigilDatabase db, NodeMetrics metrics) {
    this.db = db;
    this.metrics = metrics;
  }

  static void start(ActorSystem<?> system, VigilDatabase db, NodeMetrics metrics, Duration period) {
    DiskWatch w = new DiskWatch(db, metrics);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            period, period, w::check, system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  private synchronized void check() {
    try {
      db.recoverIfFailing();
    } catch (RuntimeException e) {
      log.debug("retrying writes to {} failed: {}", db.path(), e.getMessage());
    }
    WriteHealth h = db.writeHealth();
    metrics.storage(
        h.writable(),
        Math.max(0, h.failedWritesTotal() - failures),
        Math.max(0, h.recoveries() - recoveries));
    failures = Math.max(failures, h.failedWritesTotal());
    recoveries = Math.max(recoveries, h.recoveries());
  }
}
