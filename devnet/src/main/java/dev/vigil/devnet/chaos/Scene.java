package dev.vigil.devnet.chaos;

import dev.vigil.devnet.Devnet;

/**
 * What every injector works on and reports to: the devnet, its guardians' APIs, the log and the
 * findings.
 */
record Scene(Devnet devnet, Probe probe, ChaosLog log, Findings findings, Durability durability) {
  int nodes() {
    return devnet.size();
  }

  int f() {
    return (nodes() - 1) / 3;
  }

  /**
   * SIGKILLs guardian {@code g} after recording what it serves (the durability invariant checks it
   * after the restart).
   */
  void kill(int g) {
    durability.recordServed(g);
    devnet.guardian(g).kill();
  }
}
