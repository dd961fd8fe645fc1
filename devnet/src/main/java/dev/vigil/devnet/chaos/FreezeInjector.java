package dev.vigil.devnet.chaos;

/** SIGSTOP of one guardian (sockets stay open, peers see silence), SIGCONT when the phase ends. */
final class FreezeInjector {
  private final Scene scene;

  FreezeInjector(Scene scene) {
    this.scene = scene;
  }

  void inject(FaultPlan.Phase phase, FaultPlan.Freeze freeze) {
    int g = freeze.guardian();
    scene.devnet().guardian(g).freeze();
    scene
        .log()
        .fault(FaultKind.FREEZE, "SIGSTOP guardian %d for %.1fs", g, phase.lengthMs() / 1000.0);
    Chaos.sleep(phase.lengthMs());
    scene.devnet().guardian(g).thaw();
    scene.log().faultEnded();
    scene.log().say("SIGCONT guardian %d", g);
  }
}
