package dev.vigil.consensus.wire;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one guardian sends another. Each crosses the network as protobuf through {@link
 * WireSerializer}; bytes that do not decode arrive as {@link Undecodable}, never as an exception,
 * so that a peer's garbage is dropped and counted by the receiver.
 */
public sealed interface PeerMessage {

  /**
   * A guardian's own signed observations, batched and signed by it as a whole ({@link
   * WireCodec#batchDigest}), so that what a batch holds is charged to the member that sent it.
   * Every entry carries the sender's committee and signer index. {@code undecodable} counts entries
   * of a received batch that did not decode (the rest of the batch is kept). Build one with {@link
   * WireCodec#batch}.
   */
  record ObservationBatch(
      long committeeIndex,
      int senderIndex,
      List<SignedObservation> observations,
      Signature signature,
      int undecodable)
      implements PeerMessage {
    public ObservationBatch {
      observations = List.copyOf(observations);
      Objects.requireNonNull(signature, "signature");
      for (SignedObservation so : observations) {
        if (so.signerIndex() != senderIndex || so.committeeIndex() != committeeIndex) {
          throw new IllegalArgumentException(
              "a batch from member " + senderIndex + " holds only its own signatures, not " + so);
        }
      }
    }
  }

  /** Complete attestations, broadcast whole so a lagging guardian stores them too. */
  record AttestationBatch(List<Attestation> attestations, int undecodable) implements PeerMessage {
    public AttestationBatch {
      attestations = List.copyOf(attestations);
    }

    public static AttestationBatch of(List<Attestation> attestations) {
      return new AttestationBatch(attestations, 0);
    }
  }

  /**
   * "Re-read this transaction and sign what is final." {@code replyTo} is the serialized actor ref
   * of the requester's inbox (empty when unknown). Signed by the requester over {@link
   * WireCodec#requestDigest}, so that a request is charged to the member that made it.
   */
  record ObservationRequest(
      long committeeIndex,
      int requesterIndex,
      int chain,
      Bytes32 txHash,
      String replyTo,
      long timeMillis,
      Signature signature)
      implements PeerMessage {
    public ObservationRequest {
      Objects.requireNonNull(txHash, "txHash");
      Objects.requireNonNull(replyTo, "replyTo");
      Objects.requireNonNull(signature, "signature");
    }
  }

  /**
   * "Send me the body whose digest is {@code digest}" (for equivocation evidence that lacks it).
   * Signed by the requester over {@link WireCodec#bodyRequestDigest}, so that requests are charged
   * to the member that made them. {@code replyTo} is the serialized actor ref of its inbox.
   */
  record BodyRequest(
      long committeeIndex,
      int requesterIndex,
      MessageId messageId,
      Digest digest,
      String replyTo,
      long timeMillis,
      Signature signature)
      implements PeerMessage {
    public BodyRequest {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(replyTo, "replyTo");
      Objects.requireNonNull(signature, "signature");
    }
  }

  /**
   * A body answering a {@link BodyRequest}; unsigned, checked by the requester against the digest
   * it asked for.
   */
  record BodyReply(Body body) implements PeerMessage {
    public BodyReply {
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * A guardian's signed liveness report. {@code content} is exactly the signed bytes (a serialized
   * HeartbeatContent); the other fields were decoded from it.
   */
  record Heartbeat(HeartbeatInfo info, byte[] content, Signature signature) implements PeerMessage {
    public Heartbeat {
      Objects.requireNonNull(info, "info");
      content = content.clone();
      Objects.requireNonNull(signature, "signature");
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /**
   * What a heartbeat says. {@code inbox} is the serialized actor ref to reach that guardian alone.
   */
  record HeartbeatInfo(
      String nodeName,
      long committeeIndex,
      int signerIndex,
      Map<Integer, Long> heights,
      String version,
      long timeMillis,
      String inbox) {
    public HeartbeatInfo {
      Objects.requireNonNull(nodeName, "nodeName");
      heights = Map.copyOf(heights);
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(inbox, "inbox");
    }
  }

  /** Bytes from a peer that did not decode; carried to the receiver so it can count them. */
  record Undecodable(String manifest, int length, String reason) implements PeerMessage {}
}
