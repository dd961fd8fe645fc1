package dev.vigil.node.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.governance.CommitteeRotation;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.consensus.governance.RotationResult;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.storage.VigilDatabase;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A governance action an operator injects through the admin socket: checked against the rules
 * (governance emitter, a rotation of this committee to index + 1, valid members), then handed to
 * consensus as this guardian's own observation, so it is signed under the double-sign guard and
 * attested like any message once a quorum of operators injected the same body.
 */
public final class GovernanceInjection {
  private static final Logger log = LoggerFactory.getLogger(GovernanceInjection.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration HOLD = Duration.ofSeconds(30);

  private final GovernanceRules rules;
  private final Committee current;
  private final ActorRef<ConsensusActor.Command> consensus;
  private final VigilDatabase db;

  public GovernanceInjection(
      GovernanceRules rules,
      Committee current,
      ActorRef<ConsensusActor.Command> consensus,
      VigilDatabase db) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.current = Objects.requireNonNull(current, "current");
    this.consensus = Objects.requireNonNull(consensus, "consensus");
    this.db = Objects.requireNonNull(db, "db");
  }

  /** The checked action, as the operator should compare it with the other operators. */
  public static ObjectNode describe(Body body, CommitteeRotation rotation) {
    ObjectNode o = JSON.createObjectNode();
    o.put("message", body.messageId().toString());
    o.put("digest", body.digest().toHex());
    o.put("body", Hex.encode0x(body.encode()));
    o.put("emitterChain", body.emitterChain());
    o.put("emitterAddress", "0x" + body.emitterAddress().toHex());
    o.put("sequence", body.sequence());
    o.put("nonce", body.nonce());
    o.put("timestamp", body.timestamp());
    o.put("consistencyLevel", body.consistencyLevel());
    ObjectNode r = o.putObject("rotation");
    r.put("action", "committee rotation (Core module, action 2)");
    r.put("targetChain", rotation.targetChain());
    r.put("newIndex", rotation.newIndex());
    r.put("quorum", Committee.quorum(rotation.members().size()));
    ArrayNode m = r.putArray("members");
    for (int i = 0; i < rotation.members().size(); i++)
      m.addObject().put("index", i).put("address", rotation.members().get(i).toChecksumHex());
    return o;
  }

  /**
   * Checks {@code bodyHex} and, if it passes, has consensus sign it. Throws
   * IllegalArgumentException naming what is wrong (nothing is signed then).
   */
  public ObjectNode inject(String bodyHex) {
    byte[] bytes;
    try {
      bytes = Hex.decode(bodyHex);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'body' must be hex (0x...), got '" + bodyHex + "'");
    }
    Body body =
        switch (AttestationCodec.decodeBody(bytes)) {
          case DecodeResult.Ok<Body> ok -> ok.value();
          case DecodeResult.Err<Body> err ->
              throw new IllegalArgumentException("'body' is not an attestation body: " + err);
        };
    RotationResult checked = rules.checkProposal(body, current.index());
    if (!(checked instanceof RotationResult.Ok ok))
      throw new IllegalArgumentException(
          "refused, nothing signed: "
              + checked
              + " (this guardian serves committee "
              + current.index()
              + ")");
    CommitteeRotation rotation = ok.rotation();
    Digest digest = body.digest();
    Optional<Digest> before = db.signingRecords().get(body.messageId());
    if (before.isPresent() && !before.get().equals(digest))
      throw new IllegalArgumentException(
          "refused, nothing signed: this guardian already signed another body for "
              + body.messageId()
              + " (digest "
              + before.get().toHex()
              + "); a guardian never signs two bodies for one message: use another sequence");
    CompletableFuture<Void> held = new CompletableFuture<>();
    consensus.tell(
        new ConsensusActor.Observe(new Observation(body, Bytes32.ZERO, 0, Bytes32.ZERO), held));
    try {
      held.get(HOLD.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "consensus did not sign the action within " + HOLD.toSeconds() + " s: " + e, e);
    }
    Optional<Digest> signed = db.signingRecords().get(body.messageId());
    if (signed.isEmpty() || !signed.get().equals(digest))
      throw new IllegalArgumentException(
          "refused by the double-sign guard: "
              + body.messageId()
              + " is signed with digest "
              + signed.map(Digest::toHex).orElse("(none)"));
    ObjectNode o = describe(body, rotation);
    o.put("signed", true);
    o.put("attestedHere", db.attestations().get(body.messageId()).isPresent());
    o.put(
        "note",
        "signed by this guardian and sent to the committee; it is attested once "
            + current.quorum()
            + " of "
            + current.size()
            + " operators injected this same body (same digest)");
    log.info(
        "admin: governance action injected and signed: rotation of committee {} to {} ({} members), {} digest {}",
        current.index(),
        rotation.newIndex(),
        rotation.members().size(),
        body.messageId(),
        digest.toHex());
    return o;
  }
}
