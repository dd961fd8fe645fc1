package dev.vigil.devnet.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Progress lines ({@code [chaos 42s] ...}), and every fault injected: counted by kind and logged
 * with its time.
 */
final class ChaosLog {
  private final PrintStream out;
  private volatile long startNanos = System.nanoTime();
  private final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
  private final List<String> faultLog = new ArrayList<>();
  private volatile long lastFaultEnd = System.nanoTime();

  ChaosLog(PrintStream out) {
    this.out = out;
  }

  /** The schedule starts now: times are printed from here. */
  void restartClock() {
    startNanos = System.nanoTime();
  }

  long startNanos() {
    return startNanos;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  void say(String fmt, Object... args) {
    synchronized (out) {
      out.printf("[chaos %5ds] %s%n", elapsedMs() / 1000, String.format(fmt, args));
      out.flush();
    }
  }

  synchronized void fault(FaultKind k, String fmt, Object... args) {
    faults.merge(k, 1, Integer::sum);
    String line = String.format(fmt, args);
    faultLog.add(String.format("%5ds %s", elapsedMs() / 1000, line));
    say("FAULT %s", line);
  }

  /** A fault was healed now. */
  void faultEnded() {
    lastFaultEnd = System.nanoTime();
  }

  long lastFaultEnd() {
    return lastFaultEnd;
  }

  synchronized Map<FaultKind, Integer> faults() {
    return faults.isEmpty() ? Map.of() : new EnumMap<>(faults);
  }

  synchronized List<String> faultLog() {
    return List.copyOf(faultLog);
  }
}
