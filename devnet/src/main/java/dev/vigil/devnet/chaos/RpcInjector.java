package dev.vigil.devnet.chaos;

import dev.vigil.testing.net.FaultyRpcProxy;
import java.time.Duration;

/**
 * A flaky JSON-RPC endpoint on one chain for some guardians (or all), healthy again when the phase
 * ends.
 */
final class RpcInjector {
  private final Scene scene;

  RpcInjector(Scene scene) {
    this.scene = scene;
  }

  void inject(FaultPlan.Phase phase, FaultPlan.Rpc rpc) {
    String chain = rpc.chain() == 0 ? "alpha" : "beta";
    for (int g : rpc.guardians()) {
      FaultyRpcProxy proxy = scene.devnet().rpcProxy(g, rpc.chain());
      proxy.slowDelay(Duration.ofSeconds(8));
      proxy.mode(rpc.mode());
    }
    scene
        .log()
        .fault(
            FaultKind.RPC,
            "RPC %s on chain %s for guardians %s, %.1fs",
            rpc.mode(),
            chain,
            rpc.guardians(),
            phase.lengthMs() / 1000.0);
    Chaos.sleep(phase.lengthMs());
    for (int g : rpc.guardians())
      scene.devnet().rpcProxy(g, rpc.chain()).mode(FaultyRpcProxy.Mode.PASS);
    scene.log().faultEnded();
    scene.log().say("RPC on chain %s healthy again", chain);
  }
}
