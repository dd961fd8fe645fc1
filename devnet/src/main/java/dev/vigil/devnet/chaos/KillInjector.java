package dev.vigil.devnet.chaos;

/** SIGKILL of up to f guardians, restarted when the phase ends. */
final class KillInjector {
  private final Scene scene;

  KillInjector(Scene scene) {
    this.scene = scene;
  }

  void inject(FaultPlan.Phase phase, FaultPlan.Kill kill) {
    kill.victims().forEach(scene::kill);
    scene
        .log()
        .fault(
            FaultKind.KILL,
            "SIGKILL guardians %s for %.1fs",
            kill.victims(),
            phase.lengthMs() / 1000.0);
    Chaos.sleep(phase.lengthMs());
    for (int g : kill.victims()) scene.devnet().guardian(g).start();
    scene.log().faultEnded();
    scene.log().say("restarted guardians %s", kill.victims());
  }
}
