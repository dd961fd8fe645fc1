package dev.vigil.node.http;

import dev.vigil.storage.ChainCursor;
import dev.vigil.storage.VigilDatabase;
import dev.vigil.storage.WriteHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The named checks behind {@code /readyz}: the node is ready when every check passes. A node
 * registers e.g. "database" ({@link #databaseOpen}), "cluster" ({@link #clusterMemberUp}) and one
 * "rpc:&lt;chain&gt;" per observed chain (a check over the observer's last successful call).
 *
 * <p>Checks run on a blocking executor with a deadline each, so a check that hangs (an RPC probe
 * against a dead node) fails that check instead of hanging {@code /readyz}. A check that throws
 * fails with the exception's message (its class name if it has none).
 */
public final class Readiness {
  @FunctionalInterface
  public interface Check {
    Result check() throws Exception;
  }

  /**
   * @param detail what was found, e.g. "member Up at pekko://vigil@127.0.0.1:2551" or why not
   */
  public record Result(boolean ready, String detail) {
    public Result {
      Objects.requireNonNull(detail, "detail");
    }

    public static Result ready(String detail) {
      return new Result(true, detail);
    }

    public static Result notReady(String detail) {
      return new Result(false, detail);
    }
  }

  /** One check's outcome in a report. */
  record Outcome(String name, boolean ready, String detail) {}

  private final Map<String, Check> checks;

  private Readiness(Map<String, Check> checks) {
    this.checks = checks;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private final Map<String, Check> checks = new LinkedHashMap<>();

    private Builder() {}

    public Builder check(String name, Check check) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
      if (checks.putIfAbsent(name, check) != null) {
        throw new IllegalArgumentException("readiness check '" + name + "' is registered twice");
      }
      return this;
    }

    public Readiness build() {
      return new Readiness(Collections.unmodifiableMap(new LinkedHashMap<>(checks)));
    }
  }

  public List<String> names() {
    return List.copyOf(checks.keySet());
  }

  /**
   * Runs every check at once on {@code executor}; a check that takes longer than {@code deadline}
   * fails.
   */
  CompletionStage<List<Outcome>> evaluate(Executor executor, Duration deadline) {
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    checks.forEach(
        (name, check) ->
            futures.add(
                CompletableFuture.supplyAsync(() -> run(name, check), executor)
                    .completeOnTimeout(
                        new Outcome(
                            name, false, "did not answer within " + deadline.toMillis() + " ms"),
                        deadline.toMillis(),
                        TimeUnit.MILLISECONDS)));
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
  }

  private static Outcome run(String name, Check check) {
    try {
      Result r = check.check();
      if (r == null) return new Outcome(name, false, "the check returned no result");
      return new Outcome(name, r.ready(), r.detail());
    } catch (Exception e) {
      // the message names what is wrong; the class name adds nothing an operator can act on
      String msg = e.getMessage();
      return new Outcome(
          name, false, msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg);
    }
  }

  /**
   * Ready while the database answers a read (a closed database refuses with a StorageException).
   */
  public static Check databaseOpen(VigilDatabase db) {
    Objects.requireNonNull(db, "db");
    return () -> {
      Map<Long, ChainCursor> cursors = db.cursors().all();
      return Result.ready("open at " + db.path() + " (" + cursors.size() + " chain cursors)");
    };
  }

  /**
   * Ready while the data dir takes writes; not ready, with the cause and since when, while writes
   * fail (disk full, read-only, I/O error): the node then signs nothing new.
   */
  public static Check databaseWritable(VigilDatabase db) {
    Objects.requireNonNull(db, "db");
    return () -> {
      WriteHealth h = db.writeHealth();
      if (h.writable()) return Result.ready("writes to " + db.path() + " succeed");
      return Result.notReady(
          "writes to data dir "
              + db.path()
              + " fail since "
              + java.time.Instant.ofEpochMilli(h.failingSinceMillis())
              + " ("
              + h.failedWritesInEpisode()
              + " failed, retrying): "
              + h.cause());
    };
  }

  /**
   * Ready while this node is an Up member of its Pekko cluster (joined, not leaving or removed).
   */
  public static Check clusterMemberUp(ActorSystem<?> system) {
    Objects.requireNonNull(system, "system");
    return () -> {
      var self = Cluster.get(system).selfMember();
      if (self.status() == MemberStatus.up()) {
        return Result.ready("member Up at " + self.address());
      }
      return Result.notReady(
          "member " + self.address() + " is " + self.status() + ", not Up (cluster not joined)");
    };
  }
}
