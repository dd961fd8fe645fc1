package dev.vigil.consensus.actor;

import dev.vigil.consensus.aggregation.Aggregator;
import dev.vigil.consensus.aggregation.Decision;
import dev.vigil.consensus.aggregation.Participation;
import dev.vigil.consensus.aggregation.PendingMessage;
import dev.vigil.consensus.aggregation.Verification;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.ObservationSource;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.transport.PeerInbox;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Signer;
import dev.vigil.storage.VigilDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One guardian's consensus: a thin shell around the {@link Aggregator} that performs its decisions.
 * Signing (behind the double-sign guard) and RocksDB run on the blocking dispatcher, signature
 * recovery on the crypto dispatcher, and results come back with {@code pipeToSelf}; peers are found
 * through the Receptionist and reached through their {@link PeerInbox}.
 */
public final class ConsensusActor extends AbstractBehavior<ConsensusActor.Command> {

  /** Everything a guardian's consensus needs from the node. */
  public record Guardian(
      String nodeName,
      String version,
      Committee committee,
      int selfIndex,
      Signer signer,
      VigilDatabase db,
      Secp256k1 backend,
      ObservationSource source,
      CommitteeHistory history) {
    /** A guardian that knows only its current committee. */
    public Guardian(
        String nodeName,
        String version,
        Committee committee,
        int selfIndex,
        Signer signer,
        VigilDatabase db,
        Secp256k1 backend,
        ObservationSource source) {
      this(
          nodeName,
          version,
          committee,
          selfIndex,
          signer,
          db,
          backend,
          source,
          CommitteeHistory.of(committee));
    }

    public Guardian {
      Objects.requireNonNull(history, "history");
      if (history.currentIndex() != committee.index() || !history.current().equals(committee)) {
        throw new IllegalArgumentException(
            "the committee history's current committee "
                + history.currentIndex()
                + " is not committee "
                + committee.index());
      }
      Objects.requireNonNull(nodeName, "nodeName");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(committee, "committee");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(db, "db");
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(source, "source");
      if (selfIndex < 0 || selfIndex >= committee.size()) {
        throw new IllegalArgumentException(
            "own index " + selfIndex + " is outside the committee of " + committee.size());
      }
      if (!committee.member(selfIndex).equals(signer.address())) {
        throw new IllegalArgumentException(
            "the signer's address "
                + signer.address()
                + " is not member "
                + selfIndex
                + " of committee "
                + committee.index()
                + " ("
                + committee.member(selfIndex)
                + ")");
      }
    }
  }

  public sealed interface Command {}

  /**
   * A final observation from a chain observer (or a test's entry point). {@code held}, when given,
   * completes once the observation survives a crash of this process: signed behind the guard with
   * its pending record written, or its attestation stored (here or already before). Until then the
   * observer must not move its cursor past it, or a SIGKILL in between loses it for this guardian.
   * It completes exceptionally when signing or the write failed (the observer reads it again).
   */
  public record Observe(Observation observation, CompletableFuture<Void> held) implements Command {
    public Observe(Observation observation) {
      this(observation, null);
    }
  }

  /** A message from a peer, handed over by the {@link PeerInbox}. */
  public record FromPeer(PeerMessage message) implements Command {}

  public record GetStats(ActorRef<ConsensusStats> replyTo) implements Command {}

  /** The messages without quorum yet, oldest first, at most {@code limit} ({@code vigil admin}). */
  public record GetPending(int limit, ActorRef<List<PendingMessage>> replyTo) implements Command {}

  /** Each guardian's participation as this node saw it, by address ({@code GET /v1/guardians}). */
  public record GetParticipation(ActorRef<Participation.Report> replyTo) implements Command {}

  /**
   * Every new attestation this guardian holds (formed here or received) is sent to the subscriber.
   */
  public record Subscribe(ActorRef<Attestation> subscriber) implements Command {}

  /** A batch of guarded signatures came back: one outcome per observation, in order. */
  private record SignedBatch(List<ConsensusStore.SignOutcome> outcomes) implements Command {}

  /**
   * A batch could not be guarded (the records' write or a read failed): nothing in it was signed.
   */
  private record SignBatchFailed(List<ConsensusStore.ToSign> items, Throwable error)
      implements Command {}

  private record Failed(String what, Throwable error) implements Command {}

  private record BatchAuthenticated(PeerMessage.ObservationBatch batch, boolean authentic)
      implements Command {}

  private record SignaturesChecked(List<SignedObservation> items, List<Verification> results)
      implements Command {}

  private record VerifyFailed(List<SignedObservation> items, Throwable error) implements Command {}

  private record AttestationChecked(Attestation attestation, Verdict verdict) implements Command {}

  private record Restored(List<Map.Entry<Observation, SignedObservation>> pending)
      implements Command {}

  private record Reobserved(List<Observation> observations, int requester) implements Command {}

  private record PeersChanged(Set<ActorRef<PeerMessage>> peers) implements Command {}

  private record EvidenceKept(boolean stored) implements Command {}

  /** A round of store writes landed: its attestations may now be served. */
  private record Written(List<Attestation> attestations) implements Command {}

  /** A round of store writes failed (disk full, read-only...): its writes are queued again. */
  private record WriteFailed(
      List<Map.Entry<Observation, SignedObservation>> pending,
      List<Attestation> attestations,
      List<MessageId> removals,
      String what,
      Throwable error)
      implements Command {}

  private record Tick() implements Command {}

  private record Flush() implements Command {}

  private record HeartbeatTick() implements Command {}

  private record EvidenceBodiesTick() implements Command {}

  private static final Object FLUSH_TIMER = "flush";
  private static final Object RETRY_WRITE_TIMER = "retry-write";
  static final java.time.Duration WRITE_RETRY_DELAY = java.time.Duration.ofSeconds(1);

  /** Peers' batches whose signatures are being checked at once at most; more are shed. */
  static final int MAX_BATCHES_AUTHENTICATING = 128;

  private final ConsensusSettings settings;
  private final Guardian guardian;
  private final Committee committee;
  private final int self;
  private final LongSupplier clock;
  private final TimerScheduler<Command> timers;
  private final Aggregator aggregator;
  private final Participation participation;
  private final ConsensusStore store;
  private final Executor blocking;
  private final Executor crypto;
  private final ActorRef<PeerMessage> inbox;
  private final String inboxString;

  private final PeerDirectory directory;
  private final ReobserveLimiter reobserve;
  private final RereadRequests requests;
  private final VerificationDispatch verification;
  private final SignatureChecks checks;
  private final WritePipeline writes;
  private final EvidenceBodyStore evidenceBodies;
  private final BodyRequests bodyRequests;
  private final MissingBodies missingBodies;
  private final Outbox outbox = new Outbox();
  private final List<ActorRef<Attestation>> subscribers = new ArrayList<>();
  // Own observations waiting to be guarded and signed, and whether a batch of them is being signed.
  private final List<ConsensusStore.ToSign> toSign = new ArrayList<>();
  private boolean signBatchInFlight;

  private long undecodableMessages, undecodableItems, evidenceStored, storeFailures;
  private long batchesUnauthenticated, batchesShed, lastUnauthenticatedLog = Long.MIN_VALUE / 2;
  private int batchesAuthenticating;
  private boolean storeFailing; // logged once per episode of failing store calls

  private ConsensusActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ConsensusSettings settings,
      Guardian guardian,
      LongSupplier clock) {
    super(ctx);
    this.settings = settings;
    this.guardian = guardian;
    this.committee = guardian.committee();
    this.self = guardian.selfIndex();
    this.clock = clock;
    this.timers = timers;
    this.participation = new Participation(settings.participationGrace());
    this.aggregator =
        new Aggregator(
            settings.aggregator(),
            committee,
            self,
            new SplittableRandom(self * 7919L + System.nanoTime()),
            participation);
    this.store = new ConsensusStore(guardian.db(), guardian.signer());
    this.blocking =
        ctx.getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(settings.blockingDispatcher()));
    this.crypto =
        ctx.getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(settings.cryptoDispatcher()));
    ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
    this.directory =
        new PeerDirectory(committee, self, guardian.backend(), resolver::resolveActorRef);
    this.reobserve =
        new ReobserveLimiter(
            settings.aggregator().resendInterval().toMillis(),
            settings.maxReobservePerSecond(),
            Math.max(1, settings.maxReobservePerSecond() / Math.max(1, committee.size() - 1)),
            committee.size());
    this.requests = new RereadRequests(committee, self, guardian.backend(), reobserve);
    this.verification =
        new VerificationDispatch(
            settings.verifyChunkSize(),
            settings.verifyChunksInFlight() > 0
                ? settings.verifyChunksInFlight()
                : 2 * Runtime.getRuntime().availableProcessors());
    this.checks =
        new SignatureChecks(
            committee,
            guardian.backend(),
            new AttestationVerifier(
                guardian.history(),
                guardian.backend(),
                Clock.systemUTC(),
                AttestationVerifier.DEFAULT_EXPIRY_WINDOW));
    this.writes = new WritePipeline(store, blocking);
    this.evidenceBodies = new EvidenceBodyStore(guardian.db());
    this.bodyRequests =
        new BodyRequests(guardian.backend(), evidenceBodies, blocking, resolver::resolveActorRef);
    this.missingBodies = new MissingBodies(evidenceBodies, guardian.signer(), blocking);
    // Attestations the committee it replaced formed: valid until they expire (the verifier checks).
    if (guardian.history().committee(committee.index() - 1).isPresent())
      aggregator.acceptAttestationsOf(committee.index() - 1);

    ServiceKey<PeerMessage> key =
        PeerInbox.serviceKey(settings.serviceKey() + "-" + committee.index());
    this.inbox = ctx.spawn(PeerInbox.create(key, ctx.getSelf(), FromPeer::new), "inbox");
    this.inboxString = resolver.toSerializationFormat(inbox);
    ActorRef<Receptionist.Listing> listingAdapter =
        ctx.messageAdapter(
            Receptionist.Listing.class,
            listing -> new PeersChanged(listing.getServiceInstances(key)));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(key, listingAdapter));

    timers.startTimerWithFixedDelay(new Tick(), settings.tickInterval());
    timers.startTimerWithFixedDelay(new HeartbeatTick(), settings.heartbeatInterval());
    timers.startTimerWithFixedDelay(new EvidenceBodiesTick(), MissingBodies.INTERVAL);
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(store::pendingOwn, blocking),
        (list, err) ->
            err != null ? new Failed("restore pending own observations", err) : new Restored(list));
  }

  public static Behavior<Command> create(ConsensusSettings settings, Guardian guardian) {
    return create(settings, guardian, System::currentTimeMillis);
  }

  /** With a clock of its own (tests drive time by hand). */
  public static Behavior<Command> create(
      ConsensusSettings settings, Guardian guardian, LongSupplier clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new ConsensusActor(ctx, timers, settings, guardian, clock)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Observe.class, this::onObserve)
        .onMessage(FromPeer.class, m -> onPeer(m.message()))
        .onMessage(SignedBatch.class, this::onSignedBatch)
        .onMessage(
            SignBatchFailed.class,
            m -> {
              signBatchInFlight = false;
              storeFailed("sign " + m.items().size() + " observations", m.error());
              List<Decision> out = new ArrayList<>();
              for (ConsensusStore.ToSign t : m.items()) {
                MessageId id = t.observation().messageId();
                writes.signingFailed(id, m.error());
                out.addAll(aggregator.onSignFailed(id)); // the observer hands it over again
              }
              return after(out);
            })
        .onMessage(
            Written.class,
            m -> {
              if (storeFailing) {
                storeFailing = false;
                getContext()
                    .getLog()
                    .info("store writes work again; writes that failed meanwhile were retried");
              }
              for (Attestation a : m.attestations())
                for (ActorRef<Attestation> s : subscribers) s.tell(a);
              return this;
            })
        .onMessage(
            WriteFailed.class,
            m -> {
              storeFailed(m.what(), m.error());
              // Again later, in order: nothing attested here may be missing from the store once the
              // disk is back.
              writes.requeue(
                  m.pending().stream()
                      .filter(e -> aggregator.isPending(e.getValue().messageId()))
                      .toList(),
                  m.attestations(),
                  m.removals());
              if (!timers.isTimerActive(RETRY_WRITE_TIMER))
                timers.startSingleTimer(RETRY_WRITE_TIMER, new Flush(), WRITE_RETRY_DELAY);
              return this;
            })
        .onMessage(SignaturesChecked.class, this::onSignaturesChecked)
        .onMessage(BatchAuthenticated.class, this::onBatchAuthenticated)
        .onMessage(
            VerifyFailed.class,
            m -> {
              verification.chunkDone();
              storeFailures++;
              getContext()
                  .getLog()
                  .error("verifying {} peer signatures failed", m.items().size(), m.error());
              long now = clock.getAsLong();
              List<Decision> out = new ArrayList<>();
              for (SignedObservation so : m.items())
                out.addAll(aggregator.onVerificationSkipped(so, now));
              return after(out);
            })
        .onMessage(
            AttestationChecked.class,
            m -> {
              if (!m.verdict().isValid())
                getContext()
                    .getLog()
                    .warn(
                        "dropped invalid attestation for {}: {}",
                        m.attestation().messageId(),
                        m.verdict());
              return after(
                  aggregator.onPeerAttestationVerified(
                      m.attestation(), m.verdict().isValid(), clock.getAsLong()));
            })
        .onMessage(Restored.class, this::onRestored)
        .onMessage(
            Reobserved.class,
            m -> {
              long now = clock.getAsLong();
              List<Decision> out = new ArrayList<>();
              for (Observation o : m.observations())
                out.addAll(aggregator.onLocalObservation(o, m.requester(), now));
              return after(out);
            })
        .onMessage(
            PeersChanged.class,
            m -> {
              directory.listed(m.peers(), inbox);
              return this;
            })
        .onMessage(
            EvidenceKept.class,
            m -> {
              if (m.stored()) evidenceStored++;
              return this;
            })
        .onMessage(
            Failed.class,
            m -> {
              storeFailures++;
              getContext().getLog().error("{} failed", m.what(), m.error());
              return this;
            })
        .onMessage(
            Tick.class,
            m -> {
              long now = clock.getAsLong();
              reobserve.expire(now);
              return after(aggregator.onTick(now));
            })
        .onMessage(
            Flush.class,
            m -> {
              flush();
              return this;
            })
        .onMessage(HeartbeatTick.class, m -> sendHeartbeat())
        .onMessage(
            EvidenceBodiesTick.class,
            m -> {
              missingBodies.round(
                  committee, self, directory.peers(), inboxString, clock.getAsLong());
              return this;
            })
        .onMessage(
            GetStats.class,
            m -> {
              m.replyTo().tell(stats());
              return this;
            })
        .onMessage(
            GetPending.class,
            m -> {
              m.replyTo().tell(aggregator.pendingSnapshot(clock.getAsLong(), m.limit()));
              return this;
            })
        .onMessage(
            GetParticipation.class,
            m -> {
              m.replyTo().tell(participationReport());
              return this;
            })
        .onMessage(
            Subscribe.class,
            m -> {
              subscribers.add(m.subscriber());
              return this;
            })
        .build();
  }

  // ---------------------------------------------------------------- inputs

  private Behavior<Command> onPeer(PeerMessage m) {
    long now = clock.getAsLong();
    switch (m) {
      case PeerMessage.ObservationBatch b -> {
        undecodableItems += b.undecodable();
        authenticate(b);
        return this;
      }
      case PeerMessage.AttestationBatch b -> {
        undecodableItems += b.undecodable();
        List<Decision> out = new ArrayList<>();
        for (Attestation a : b.attestations()) out.addAll(aggregator.onPeerAttestation(a, now));
        return after(out);
      }
      case PeerMessage.ObservationRequest r -> {
        onRequest(r, now);
        return this;
      }
      case PeerMessage.Heartbeat h -> {
        directory.onHeartbeat(h, now);
        noteHeartbeat(h.info());
        return this;
      }
      case PeerMessage.BodyRequest r -> {
        if (!bodyRequests.onRequest(r, committee, self, now)) undecodableItems++;
        return this;
      }
      case PeerMessage.BodyReply r -> {
        missingBodies.onReply(r);
        return this;
      }
      case PeerMessage.Undecodable u -> {
        undecodableMessages++;
        getContext()
            .getLog()
            .debug(
                "dropped undecodable peer message {} ({} bytes): {}",
                u.manifest(),
                u.length(),
                u.reason());
        return this;
      }
    }
  }

  /**
   * A batch counts only once its signature is found to be its sender's (on the crypto dispatcher):
   * then every budget, cap and blame for what it holds is that member's. A batch from another
   * committee, from no member, or from this node's own index is dropped unchecked; one that is not
   * its sender's is dropped whole, charged to no member (one recovery was its whole cost). At most
   * {@link #MAX_BATCHES_AUTHENTICATING} wait at once, the rest are shed (an honest sender re-sends
   * what is still pending).
   */
  private void authenticate(PeerMessage.ObservationBatch b) {
    if (b.committeeIndex() != committee.index() || b.senderIndex() >= committee.size()) {
      unauthenticated(b, "committee " + committee.index() + " has no such member");
      return;
    }
    if (b.senderIndex() == self) {
      unauthenticated(b, "it names this guardian as its sender");
      return;
    }
    if (b.observations().isEmpty()) return;
    if (batchesAuthenticating >= MAX_BATCHES_AUTHENTICATING) {
      batchesShed++;
      return;
    }
    batchesAuthenticating++;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(() -> checks.authentic(b), crypto),
            (ok, err) -> new BatchAuthenticated(b, err == null && ok));
  }

  private Behavior<Command> onBatchAuthenticated(BatchAuthenticated m) {
    batchesAuthenticating--;
    PeerMessage.ObservationBatch b = m.batch();
    if (!m.authentic()) {
      unauthenticated(b, "its signature is not member " + b.senderIndex() + "'s");
      return this;
    }
    long now = clock.getAsLong();
    List<Decision> out = new ArrayList<>();
    for (SignedObservation so : b.observations()) out.addAll(aggregator.onPeerSignature(so, now));
    return after(out);
  }

  /** Counted, and logged at most once a minute (with the count since): someone forges batches. */
  private void unauthenticated(PeerMessage.ObservationBatch b, String why) {
    batchesUnauthenticated++;
    long now = clock.getAsLong();
    if (now - lastUnauthenticatedLog >= 60_000) {
      getContext()
          .getLog()
          .warn(
              "dropped a batch of {} signatures claiming to come from member {} of committee {}: {}"
                  + " ({} such batches dropped in all; none is charged to any member)",
              b.observations().size(),
              b.senderIndex(),
              b.committeeIndex(),
              why,
              batchesUnauthenticated);
      lastUnauthenticatedLog = now;
    }
  }

  private Behavior<Command> onObserve(Observe m) {
    List<Decision> out = aggregator.onLocalObservation(m.observation(), -1, clock.getAsLong());
    if (m.held() != null) {
      MessageId id = m.observation().messageId();
      boolean signing =
          writes.isSigning(id)
              || out.stream()
                  .anyMatch(
                      d -> d instanceof Decision.Sign s && s.observation().messageId().equals(id));
      if (signing) {
        writes.holdUntilSigned(id, m.held());
      } else {
        // Known already: attested, signed and pending, or conflicting with what we signed. What
        // made it so is written by now or in a write still queued.
        writes.holdUntilNextWrite(m.held());
        scheduleFlush();
      }
    }
    return after(out);
  }

  private Behavior<Command> onSignedBatch(SignedBatch m) {
    signBatchInFlight = false;
    long now = clock.getAsLong();
    List<Decision> out = new ArrayList<>();
    for (ConsensusStore.SignOutcome o : m.outcomes()) {
      switch (o) {
        case ConsensusStore.Signed s -> {
          out.addAll(aggregator.onOwnSigned(s.own(), now));
          if (aggregator.isPending(s.own().messageId())) {
            // Still waiting for quorum: remember it, so that a restart re-broadcasts it.
            writes.addPending(s.observation(), s.own());
            scheduleFlush();
          }
          holdUntilNextWrite(s.own().messageId());
        }
        case ConsensusStore.Refused r -> {
          getContext()
              .getLog()
              .error(
                  "ALERT: double-sign guard refused to sign {}: {}",
                  r.observation().messageId(),
                  r.reason());
          holdUntilNextWrite(
              r.observation().messageId()); // the guard's record of the other digest is durable
          out.addAll(aggregator.onSignRefused(r.observation()));
        }
        case ConsensusStore.AlreadyAttested a -> {
          holdUntilNextWrite(a.attestation().messageId());
          out.addAll(aggregator.onStoredAttestation(a.attestation(), now));
        }
      }
    }
    return after(out);
  }

  /** The own signature's outcome is known: its waiters are released by the next write. */
  private void holdUntilNextWrite(MessageId id) {
    if (writes.signed(id)) scheduleFlush();
  }

  private Behavior<Command> onSignaturesChecked(SignaturesChecked m) {
    verification.chunkDone();
    long now = clock.getAsLong();
    List<Decision> out = new ArrayList<>();
    for (int i = 0; i < m.items().size(); i++) {
      out.addAll(aggregator.onPeerSignatureVerified(m.items().get(i), m.results().get(i), now));
    }
    return after(out);
  }

  private Behavior<Command> onRestored(Restored m) {
    long now = clock.getAsLong();
    List<Decision> out = new ArrayList<>();
    for (var e : m.pending()) {
      SignedObservation own = e.getValue();
      if (own.committeeIndex() != committee.index() || own.signerIndex() != self) {
        // Signed before a rotation: the signature is over the digest alone, so it stands; only the
        // committee and this guardian's place in it are new.
        own =
            SignedObservation.of(
                committee.index(),
                self,
                e.getKey().body(),
                own.digest(),
                own.signature(),
                own.txHash());
      }
      out.addAll(aggregator.onRestoredOwn(e.getKey(), own, now));
    }
    if (!m.pending().isEmpty())
      getContext()
          .getLog()
          .info(
              "re-broadcasting {} own observations pending since before the restart",
              m.pending().size());
    return after(out);
  }

  private void onRequest(PeerMessage.ObservationRequest r, long now) {
    switch (requests.check(r, now)) {
      case MALFORMED -> undecodableItems++;
      case DROP -> {}
      case SERVE ->
          getContext()
              .pipeToSelf(
                  guardian.source().reobserve(r.chain(), r.txHash()).toCompletableFuture(),
                  (list, err) ->
                      err != null
                          ? new Failed("re-read of " + r.txHash() + " on chain " + r.chain(), err)
                          : new Reobserved(list, r.requesterIndex()));
    }
  }

  // ---------------------------------------------------------------- effects

  private Behavior<Command> after(List<Decision> decisions) {
    for (Decision d : decisions) perform(d);
    dispatchVerifications();
    dispatchSigning();
    return this;
  }

  private void perform(Decision d) {
    switch (d) {
      case Decision.Sign s -> {
        verification.promote(
            s.observation().messageId()); // observed here now: its waiting signatures go first
        toSign.add(new ConsensusStore.ToSign(s.observation(), s.digest()));
      }
      case Decision.VerifySignature v ->
          verification.request(v.observation(), aggregator.priorityOf(v.observation()));
      case Decision.VerifyAttestation v -> {
        Attestation a = v.attestation();
        BitSet known = v.alreadyVerified();
        getContext()
            .pipeToSelf(
                CompletableFuture.supplyAsync(() -> checks.verifyAttestation(a, known), crypto),
                (verdict, err) ->
                    err != null
                        ? new Failed("verify attestation", err)
                        : new AttestationChecked(a, verdict));
      }
      case Decision.Broadcast b -> queueOwn(b.own());
      case Decision.Attested a -> {
        if (a.store()) {
          writes.addAttestation(a.attestation());
          scheduleFlush();
        }
        // Served (to subscribers) only once stored: after the write round that holds it.
        if (!a.store()) for (ActorRef<Attestation> s : subscribers) s.tell(a.attestation());
        a.sendTo().stream().forEach(i -> queueAttestation(a.attestation(), i));
      }
      case Decision.SendAttestation s -> queueAttestation(s.attestation(), s.peer());
      case Decision.Retry r -> {
        queueOwn(r.own());
        var req =
            WireCodec.request(
                committee.index(),
                self,
                r.observation().chain(),
                r.observation().txHash(),
                inboxString,
                clock.getAsLong(),
                guardian.signer());
        for (ActorRef<PeerMessage> p : directory.peers()) p.tell(req);
      }
      case Decision.GiveUp g -> {
        getContext()
            .getLog()
            .warn(
                "gave up on {} (digest {}): no quorum in {}",
                g.id(),
                g.digest(),
                settings.aggregator().giveUpAfter());
        writes.addRemoval(g.id());
        scheduleFlush();
      }
      case Decision.Suspected s ->
          getContext()
              .getLog()
              .warn(
                  "member {} ({}): {} signatures under its index failed verification in a burst; until none fails for {} s its signatures for"
                      + " messages not observed here are dropped unchecked and the others are checked last",
                  s.signer(),
                  committee.member(s.signer()),
                  s.invalid(),
                  Math.round(
                      settings.aggregator().invalidBurst()
                          / settings.aggregator().invalidPerSecond()));
      case Decision.Cleared c ->
          getContext()
              .getLog()
              .info(
                  "member {} ({}): no invalid signature lately, checked normally again; {} of its signatures were dropped unchecked meanwhile",
                  c.signer(),
                  committee.member(c.signer()),
                  c.dropped());
      case Decision.Evidence e -> {
        Address signer = committee.member(e.first().signerIndex());
        getContext()
            .getLog()
            .warn(
                "ALERT: member {} ({}) signed two digests for {}: {} and {}",
                e.first().signerIndex(),
                signer,
                e.first().messageId(),
                e.first().digest(),
                e.second().digest());
        getContext()
            .pipeToSelf(
                CompletableFuture.supplyAsync(
                    () -> evidenceBodies.append(e.first(), e.second(), signer), blocking),
                (ok, err) ->
                    err != null ? new Failed("store evidence", err) : new EvidenceKept(ok));
      }
    }
  }

  /**
   * Group commit: one batch of own observations at a time is guarded (one synced write for all of
   * their records) and signed; those that arrive meanwhile wait here and form the next batch, so
   * the batch grows with the load and a lone observation still waits for one fsync only.
   */
  private void dispatchSigning() {
    if (signBatchInFlight || toSign.isEmpty()) return;
    int size = Math.min(toSign.size(), settings.signBatchMaxSize());
    List<ConsensusStore.ToSign> batch = List.copyOf(toSign.subList(0, size));
    toSign.subList(0, size).clear();
    signBatchInFlight = true;
    long committeeIndex = committee.index();
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(
                () -> store.signAll(batch, committeeIndex, self), blocking),
            (outcomes, err) ->
                err != null ? new SignBatchFailed(batch, err) : new SignedBatch(outcomes));
  }

  /**
   * Starts checks, best first, while the dispatch lets more chunks out; tells the aggregator of
   * those found unneeded when they came up (decided after the decision that asked for them).
   */
  private void dispatchVerifications() {
    while (true) {
      List<SignedObservation> chunk = List.copyOf(verification.nextChunk(aggregator::priorityOf));
      List<SignedObservation> skipped = verification.takeSkipped();
      if (!skipped.isEmpty()) {
        long now = clock.getAsLong();
        for (SignedObservation so : skipped)
          for (Decision d : aggregator.onVerificationSkipped(so, now)) perform(d);
      }
      if (!chunk.isEmpty()) {
        verification.chunkStarted();
        getContext()
            .pipeToSelf(
                CompletableFuture.supplyAsync(
                    () -> chunk.stream().map(checks::verify).toList(), crypto),
                (results, err) ->
                    err != null
                        ? new VerifyFailed(chunk, err)
                        : new SignaturesChecked(chunk, results));
      } else if (verification.stalled()) {
        return;
      }
    }
  }

  private void queueOwn(SignedObservation own) {
    outbox.addOwn(own);
    scheduleFlush();
  }

  private void queueAttestation(Attestation a, int peer) {
    List<ActorRef<PeerMessage>> inboxes = directory.inboxesOf(peer);
    if (inboxes.isEmpty())
      return; // that member is not in the cluster now; it observes the message itself when back
    outbox.addAttestation(a, inboxes);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (outbox.ownCount() >= settings.batchMaxSize()
        || outbox.attestationCount() >= settings.batchMaxSize()
        || writes.queued() >= settings.batchMaxSize()) {
      timers.cancel(FLUSH_TIMER);
      flush();
    } else if (!timers.isTimerActive(FLUSH_TIMER)) {
      timers.startSingleTimer(FLUSH_TIMER, new Flush(), settings.batchDelay());
    }
  }

  private void flush() {
    long committeeIndex = committee.index();
    outbox.flush(
        directory.peers(), own -> WireCodec.batch(committeeIndex, self, own, guardian.signer()));
    WritePipeline.Round round = writes.start();
    if (round != null) {
      getContext()
          .pipeToSelf(
              round.done(),
              (ok, err) ->
                  err != null
                      ? new WriteFailed(
                          round.pending(),
                          round.attestations(),
                          round.removals(),
                          round.what(),
                          err)
                      : new Written(round.attestations()));
    }
  }

  /**
   * A store call failed: counted always, logged once per episode (the database logs the cause at
   * ERROR).
   */
  private void storeFailed(String what, Throwable error) {
    storeFailures++;
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    if (!(cause instanceof dev.vigil.storage.StorageException)) {
      getContext().getLog().error("{} failed", what, cause);
    } else if (!storeFailing) {
      storeFailing = true;
      getContext()
          .getLog()
          .warn(
              "{} failed: {}; retrying (until a write succeeds further store failures are logged at DEBUG)",
              what,
              cause.getMessage());
    } else {
      getContext().getLog().debug("{} failed: {}", what, cause.getMessage());
    }
  }

  private Behavior<Command> sendHeartbeat() {
    var info =
        new PeerMessage.HeartbeatInfo(
            guardian.nodeName(),
            committee.index(),
            self,
            guardian.source().heights(),
            guardian.version(),
            clock.getAsLong(),
            inboxString);
    PeerMessage hb = WireCodec.heartbeat(info, guardian.signer());
    for (ActorRef<PeerMessage> p : directory.peers()) p.tell(hb);
    return this;
  }

  /** A heartbeat the directory kept (signed by the member it names, fresh) counts as its last. */
  private void noteHeartbeat(PeerMessage.HeartbeatInfo info) {
    int i = info.signerIndex();
    if (info.equals(directory.heartbeats().get(i)))
      participation.heartbeat(committee.member(i), info.nodeName(), info.timeMillis());
  }

  /** This node is alive as it answers: its own record's heartbeat is now. */
  private Participation.Report participationReport() {
    long now = clock.getAsLong();
    participation.heartbeat(guardian.signer().address(), guardian.nodeName(), now);
    return participation.report(committee, now);
  }

  private ConsensusStats stats() {
    return new ConsensusStats(
        aggregator.stats(),
        undecodableMessages,
        undecodableItems,
        directory.badHeartbeats(),
        reobserve.served(),
        reobserve.throttled(),
        reobserve.refusedCount(),
        batchesUnauthenticated,
        batchesShed,
        evidenceStored,
        storeFailures,
        directory.peers().size(),
        directory.heartbeats());
  }
}
