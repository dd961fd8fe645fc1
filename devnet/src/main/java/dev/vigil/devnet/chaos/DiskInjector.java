package dev.vigil.devnet.chaos;

import dev.vigil.testing.disk.DataDisks;
import dev.vigil.testing.process.NodeProcess;
import java.io.IOException;
import java.time.Duration;

/**
 * A full disk on one guardian and a read-only one on another: at the same time when f >= 2, one
 * after the other when f = 1. Each victim must stay up, say on /readyz why it is not ready, and
 * sign nothing it cannot record (the safety invariant checks that); the full one must take writes
 * again by itself once the ballast is gone, the read-only one must start on the repaired disk.
 */
final class DiskInjector {
  private final Scene scene;
  private final DataDisks disks;

  DiskInjector(Scene scene, DataDisks disks) {
    this.scene = scene;
    this.disks = disks;
  }

  void inject(FaultPlan.Phase phase, FaultPlan.Disk disk) {
    long len = phase.lengthMs();
    int full = disk.full();
    int readOnly = disk.readOnly();
    if (disk.together()) {
      scene
          .log()
          .fault(
              FaultKind.DISK,
              "disk full for guardian %d and read-only for guardian %d, %.1fs",
              full,
              readOnly,
              len / 1000.0);
      long t0 = System.nanoTime();
      String fullSeen = breakDisk(full, true);
      String roSeen = breakDisk(readOnly, false);
      Chaos.sleep(Math.max(0, len - (System.nanoTime() - t0) / 1_000_000));
      healFull(full, fullSeen);
      healReadOnly(readOnly, roSeen);
    } else {
      scene
          .log()
          .fault(
              FaultKind.DISK,
              "disk full for guardian %d for %.1fs, then read-only for guardian %d for %.1fs",
              full,
              len / 2000.0,
              readOnly,
              len / 2000.0);
      long t0 = System.nanoTime();
      String fullSeen = breakDisk(full, true);
      Chaos.sleep(Math.max(0, len / 2 - (System.nanoTime() - t0) / 1_000_000));
      healFull(full, fullSeen);
      t0 = System.nanoTime();
      String roSeen = breakDisk(readOnly, false);
      Chaos.sleep(Math.max(0, len / 2 - (System.nanoTime() - t0) / 1_000_000));
      healReadOnly(readOnly, roSeen);
    }
    scene.log().faultEnded();
  }

  /**
   * Injects the fault and waits (bounded) until the guardian's /readyz names it; returns what it
   * said, or null.
   */
  private String breakDisk(int g, boolean full) {
    String cause = full ? "No space left on device" : "Read-only file system";
    long t0 = System.nanoTime();
    try {
      if (full) {
        long bytes = disks.fill(g);
        scene.log().say("guardian %d: disk full (%d MiB ballast)", g, bytes >> 20);
      } else {
        disks.breakReadOnly(g);
        scene.log().say("guardian %d: disk read-only (ext4 error)", g);
      }
    } catch (IOException e) {
      failed(
          "guardian %d: cannot inject the %s fault: %s",
          g, full ? "full" : "read-only", e.getMessage());
      return null;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String body = scene.probe().notReady(g);
      if (body != null && body.contains(cause)) {
        String seen =
            String.format(
                "not ready %.1fs after the fault (\"%s\")", (System.nanoTime() - t0) / 1e9, cause);
        scene
            .log()
            .say(
                "guardian %d: /readyz %s: %s",
                g, seen, body.length() > 600 ? body.substring(0, 600) + "..." : body);
        return seen;
      }
      Chaos.sleep(250);
    }
    failed(
        "guardian %d: /readyz did not report \"%s\" within 20s of the %s fault",
        g, cause, full ? "full" : "read-only");
    return null;
  }

  private void healFull(int g, String seen) {
    NodeProcess guardian = scene.devnet().guardian(g);
    long pid = guardian.pid();
    boolean alive = guardian.isAlive();
    try {
      disks.unfill(g);
    } catch (IOException e) {
      failed("guardian %d: cannot delete the ballast: %s", g, e.getMessage());
      return;
    }
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofSeconds(30).toNanos();
    boolean ready = false;
    while (System.nanoTime() < deadline && !(ready = scene.probe().notReady(g) == null))
      Chaos.sleep(250);
    boolean sameProcess = guardian.isAlive() && guardian.pid() == pid;
    scene.log().say("guardian %d metrics: %s", g, scene.probe().storageMetrics(g));
    String line =
        String.format(
            "full on guardian %d: %s, stayed up %s, ready again %s after freeing space, without restart %s",
            g,
            seen,
            alive,
            ready ? String.format("%.1fs", (System.nanoTime() - t0) / 1e9) : "NOT within 30s",
            sameProcess);
    result(seen != null && alive && ready && sameProcess, line);
  }

  private void healReadOnly(int g, String seen) {
    NodeProcess guardian = scene.devnet().guardian(g);
    boolean alive = guardian.isAlive();
    scene.kill(
        g); // what it served while read-only it must still serve after the restart on the repaired
    // disk
    try {
      disks.repair(g);
    } catch (IOException e) {
      failed("guardian %d: repairing its disk failed: %s", g, e.getMessage());
      guardian.start();
      return;
    }
    guardian.start();
    result(
        seen != null && alive,
        String.format(
            "read-only on guardian %d: %s, stayed up %s, SIGKILL + e2fsck + restart",
            g, seen, alive));
  }

  private void failed(String fmt, Object... args) {
    result(false, String.format(fmt, args));
  }

  private void result(boolean pass, String line) {
    Findings findings = scene.findings();
    synchronized (findings) {
      if (!pass) findings.diskPass = false;
      findings.diskResults.add(line);
    }
    scene.log().say("%s", line);
  }
}
