package dev.vigil.node.observer;

import dev.vigil.consensus.observation.Observation;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where an observer hands final observations. The returned stage completes once consensus holds
 * them; only then does the observer move its cursor past them.
 */
@FunctionalInterface
public interface ObservationSink {
  CompletionStage<Void> accept(List<Observation> observations);
}
