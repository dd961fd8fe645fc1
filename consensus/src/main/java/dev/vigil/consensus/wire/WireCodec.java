package dev.vigil.consensus.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.proto.ChainHeight;
import dev.vigil.consensus.wire.proto.HeartbeatContent;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Protobuf encoding of {@link PeerMessage}s, without Pekko. {@link #decode} never throws: whatever
 * the bytes, the result is a message or an {@link PeerMessage.Undecodable} naming what was wrong.
 */
public final class WireCodec {
  public static final String OBSERVATION_BATCH = "SignedObservationBatch.v1";
  public static final String ATTESTATION_BATCH = "AttestationBatch.v1";
  public static final String OBSERVATION_REQUEST = "ObservationRequest.v1";
  public static final String HEARTBEAT = "Heartbeat.v1";
  public static final String BODY_REQUEST = "BodyRequest.v1";
  public static final String BODY_REPLY = "BodyReply.v1";

  /** Domain separation: a heartbeat signature can never be mistaken for a message signature. */
  private static final byte[] HEARTBEAT_DOMAIN =
      "vigil.heartbeat.v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BATCH_DOMAIN =
      "vigil.observation-batch.v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] REQUEST_DOMAIN =
      "vigil.observation-request.v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BODY_REQUEST_DOMAIN =
      "vigil.body-request.v1".getBytes(StandardCharsets.US_ASCII);

  /**
   * The largest body a reply may carry: the largest payload a chain may be configured with (1 MiB)
   * and the body's fixed fields.
   */
  public static final int MAX_REPLY_BODY_BYTES = (1 << 20) + Body.MIN_LENGTH;

  private WireCodec() {}

  public static String manifest(PeerMessage m) {
    return switch (m) {
      case PeerMessage.ObservationBatch b -> OBSERVATION_BATCH;
      case PeerMessage.AttestationBatch b -> ATTESTATION_BATCH;
      case PeerMessage.ObservationRequest r -> OBSERVATION_REQUEST;
      case PeerMessage.Heartbeat h -> HEARTBEAT;
      case PeerMessage.BodyRequest r -> BODY_REQUEST;
      case PeerMessage.BodyReply r -> BODY_REPLY;
      case PeerMessage.Undecodable u ->
          throw new IllegalArgumentException("an Undecodable is never sent");
    };
  }

  public static byte[] encode(PeerMessage m) {
    return switch (m) {
      case PeerMessage.ObservationBatch b -> {
        var pb =
            dev.vigil.consensus.wire.proto.SignedObservationBatch.newBuilder()
                .setCommitteeIndex((int) b.committeeIndex())
                .setSenderIndex(b.senderIndex())
                .setSignature(ByteString.copyFrom(b.signature().toBytes()));
        for (SignedObservation so : b.observations()) pb.addObservations(toWire(so));
        yield pb.build().toByteArray();
      }
      case PeerMessage.AttestationBatch b -> {
        var pb = dev.vigil.consensus.wire.proto.AttestationBatch.newBuilder();
        for (Attestation a : b.attestations())
          pb.addAttestations(ByteString.copyFrom(AttestationCodec.encode(a)));
        yield pb.build().toByteArray();
      }
      case PeerMessage.ObservationRequest r ->
          dev.vigil.consensus.wire.proto.ObservationRequest.newBuilder()
              .setCommitteeIndex((int) r.committeeIndex())
              .setRequesterIndex(r.requesterIndex())
              .setChain(r.chain())
              .setTxHash(ByteString.copyFrom(r.txHash().toBytes()))
              .setReplyTo(r.replyTo())
              .setTimeMillis(r.timeMillis())
              .setSignature(ByteString.copyFrom(r.signature().toBytes()))
              .build()
              .toByteArray();
      case PeerMessage.BodyRequest r ->
          dev.vigil.consensus.wire.proto.BodyRequest.newBuilder()
              .setCommitteeIndex((int) r.committeeIndex())
              .setRequesterIndex(r.requesterIndex())
              .setMessageId(ByteString.copyFrom(r.messageId().encode()))
              .setDigest(ByteString.copyFrom(r.digest().toBytes()))
              .setReplyTo(r.replyTo())
              .setTimeMillis(r.timeMillis())
              .setSignature(ByteString.copyFrom(r.signature().toBytes()))
              .build()
              .toByteArray();
      case PeerMessage.BodyReply r ->
          dev.vigil.consensus.wire.proto.BodyReply.newBuilder()
              .setBody(ByteString.copyFrom(r.body().encode()))
              .build()
              .toByteArray();
      case PeerMessage.Heartbeat h ->
          dev.vigil.consensus.wire.proto.Heartbeat.newBuilder()
              .setContent(ByteString.copyFrom(h.content()))
              .setSignature(ByteString.copyFrom(h.signature().toBytes()))
              .build()
              .toByteArray();
      case PeerMessage.Undecodable u ->
          throw new IllegalArgumentException("an Undecodable is never sent");
    };
  }

  /**
   * Entries a received batch may have by default. A guardian sends at most batch-max-size (200 by
   * default) per batch; far more is a peer trying to make us allocate.
   */
  public static final int DEFAULT_MAX_BATCH_ENTRIES = 1000;

  /**
   * Decodes bytes received under a manifest, batches of up to {@link #DEFAULT_MAX_BATCH_ENTRIES};
   * never throws.
   */
  public static PeerMessage decode(String manifest, byte[] bytes) {
    return decode(manifest, bytes, DEFAULT_MAX_BATCH_ENTRIES);
  }

  /**
   * Decodes bytes received under a manifest; never throws. A batch with more than {@code
   * maxBatchEntries} entries is refused whole, counted before anything is parsed or allocated.
   */
  public static PeerMessage decode(String manifest, byte[] bytes, int maxBatchEntries) {
    if (bytes == null) return new PeerMessage.Undecodable(String.valueOf(manifest), 0, "no bytes");
    try {
      return switch (String.valueOf(manifest)) {
        case OBSERVATION_BATCH ->
            tooManyEntries(OBSERVATION_BATCH, bytes, maxBatchEntries)
                .orElseGet(() -> decodeObservationBatch(bytes));
        case ATTESTATION_BATCH ->
            tooManyEntries(ATTESTATION_BATCH, bytes, maxBatchEntries)
                .orElseGet(() -> decodeAttestationBatch(bytes));
        case OBSERVATION_REQUEST -> decodeRequest(bytes);
        case HEARTBEAT -> decodeHeartbeat(bytes);
        case BODY_REQUEST -> decodeBodyRequest(bytes);
        case BODY_REPLY -> decodeBodyReply(bytes);
        default ->
            new PeerMessage.Undecodable(String.valueOf(manifest), bytes.length, "unknown manifest");
      };
    } catch (InvalidProtocolBufferException e) {
      return notProtobuf(manifest, bytes, e);
    } catch (UncheckedInvalid e) {
      return notProtobuf(manifest, bytes, e.getCause());
    } catch (RuntimeException e) {
      // Defensive: no hostile input may escape as an exception into Pekko's inbound stream.
      return new PeerMessage.Undecodable(
          manifest, bytes.length, "malformed " + manifest + ": " + e);
    }
  }

  private static PeerMessage notProtobuf(
      String manifest, byte[] bytes, InvalidProtocolBufferException e) {
    return new PeerMessage.Undecodable(
        manifest, bytes.length, "not a valid protobuf " + manifest + ": " + e.getMessage());
  }

  /** Carries a parse failure out of a lambda. */
  private static final class UncheckedInvalid extends RuntimeException {
    UncheckedInvalid(InvalidProtocolBufferException cause) {
      super(cause);
    }

    @Override
    public synchronized InvalidProtocolBufferException getCause() {
      return (InvalidProtocolBufferException) super.getCause();
    }
  }

  /**
   * Counts the entries (field 1) of a batch by skipping over them, without parsing or copying any,
   * and stops at the first one beyond the limit: a batch of a million empty entries costs a short
   * scan, not a million objects.
   */
  private static java.util.Optional<PeerMessage> tooManyEntries(
      String manifest, byte[] bytes, int max) {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int entries = 0;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1 && ++entries > max) {
          return java.util.Optional.of(
              new PeerMessage.Undecodable(
                  manifest,
                  bytes.length,
                  "batch has more than " + max + " entries (" + bytes.length + " bytes)"));
        }
        if (!in.skipField(tag)) break;
      }
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedInvalid(e);
    } catch (java.io.IOException e) {
      throw new UncheckedInvalid(new InvalidProtocolBufferException(e));
    }
    return java.util.Optional.empty();
  }

  /** Storage form: with the body when it is known. */
  static dev.vigil.consensus.wire.proto.SignedObservation toProto(SignedObservation so) {
    var b = toWire(so).toBuilder();
    so.body().ifPresent(body -> b.setBody(ByteString.copyFrom(body.encode())));
    return b.build();
  }

  /** Wire form: identity, digest, signature and transaction, never the body. */
  public static dev.vigil.consensus.wire.proto.SignedObservation toWire(SignedObservation so) {
    return dev.vigil.consensus.wire.proto.SignedObservation.newBuilder()
        .setCommitteeIndex((int) so.committeeIndex())
        .setSignerIndex(so.signerIndex())
        .setMessageId(ByteString.copyFrom(so.messageId().encode()))
        .setDigest(ByteString.copyFrom(so.digest().toBytes()))
        .setSignature(ByteString.copyFrom(so.signature().toBytes()))
        .setTxHash(ByteString.copyFrom(so.txHash().toBytes()))
        .build();
  }

  private static PeerMessage decodeObservationBatch(byte[] bytes) {
    dev.vigil.consensus.wire.proto.SignedObservationBatch pb;
    try {
      pb = dev.vigil.consensus.wire.proto.SignedObservationBatch.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedInvalid(e);
    }
    if (pb.getSignature().size() != Signature.LENGTH || (pb.getSignature().byteAt(64) & 0xff) > 1) {
      return new PeerMessage.Undecodable(
          OBSERVATION_BATCH,
          bytes.length,
          pb.getSignature().isEmpty()
              ? "unsigned batch (no sender signature)"
              : "batch signature is not 65 bytes with a recovery id of 0 or 1");
    }
    int sender = pb.getSenderIndex();
    if (sender < 0 || sender > 254) {
      return new PeerMessage.Undecodable(
          OBSERVATION_BATCH,
          bytes.length,
          "sender index " + Integer.toUnsignedString(sender) + " is not 0..254");
    }
    long committee = Integer.toUnsignedLong(pb.getCommitteeIndex());
    List<SignedObservation> out = new ArrayList<>(pb.getObservationsCount());
    int bad = 0;
    for (var p : pb.getObservationsList()) {
      // Between guardians an entry is the sender's own signature, without a body.
      SignedObservation so =
          p.getBody().isEmpty()
                  && p.getSignerIndex() == sender
                  && Integer.toUnsignedLong(p.getCommitteeIndex()) == committee
              ? fromProto(p)
              : null;
      if (so == null) bad++;
      else out.add(so);
    }
    return new PeerMessage.ObservationBatch(
        committee, sender, out, Signature.fromBytes(pb.getSignature().toByteArray()), bad);
  }

  /**
   * A signed observation from the wire or the store, or null when any field is malformed. With a
   * body, identity and digest are derived from it (and must agree with those given); without one,
   * both must be given.
   */
  static SignedObservation fromProto(dev.vigil.consensus.wire.proto.SignedObservation p) {
    int signer = p.getSignerIndex();
    if (signer < 0 || signer > 254) return null;
    if (p.getSignature().size() != Signature.LENGTH || p.getTxHash().size() != Bytes32.LENGTH)
      return null;
    byte[] sig = p.getSignature().toByteArray();
    if ((sig[64] & 0xff) > 1) return null;
    long committee = Integer.toUnsignedLong(p.getCommitteeIndex());
    Signature signature = Signature.fromBytes(sig);
    Bytes32 tx = Bytes32.wrap(p.getTxHash().toByteArray());
    if (!p.getBody().isEmpty()) {
      DecodeResult<Body> decoded = AttestationCodec.decodeBody(p.getBody().toByteArray());
      if (!(decoded instanceof DecodeResult.Ok<Body> ok)) return null;
      Body body = ok.value();
      Digest digest = body.digest();
      if (!p.getDigest().isEmpty() && !Digest.wrap(p.getDigest().toByteArray()).equals(digest))
        return null;
      if (!p.getMessageId().isEmpty()
          && !java.util.Arrays.equals(p.getMessageId().toByteArray(), body.messageId().encode()))
        return null;
      return SignedObservation.of(committee, signer, body, digest, signature, tx);
    }
    if (p.getMessageId().size() != MessageId.ENCODED_LENGTH
        || p.getDigest().size() != Digest.LENGTH) return null;
    return SignedObservation.ofDigest(
        committee,
        signer,
        MessageId.decode(p.getMessageId().toByteArray()),
        Digest.wrap(p.getDigest().toByteArray()),
        signature,
        tx);
  }

  private static PeerMessage decodeAttestationBatch(byte[] bytes) {
    dev.vigil.consensus.wire.proto.AttestationBatch pb;
    try {
      pb = dev.vigil.consensus.wire.proto.AttestationBatch.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedInvalid(e);
    }
    List<Attestation> out = new ArrayList<>(pb.getAttestationsCount());
    int bad = 0;
    for (ByteString b : pb.getAttestationsList()) {
      if (AttestationCodec.decode(b.toByteArray()) instanceof DecodeResult.Ok<Attestation> ok)
        out.add(ok.value());
      else bad++;
    }
    return new PeerMessage.AttestationBatch(out, bad);
  }

  private static PeerMessage decodeRequest(byte[] bytes) throws InvalidProtocolBufferException {
    var p = dev.vigil.consensus.wire.proto.ObservationRequest.parseFrom(bytes);
    if (p.getTxHash().size() != Bytes32.LENGTH) {
      return new PeerMessage.Undecodable(
          OBSERVATION_REQUEST,
          bytes.length,
          "tx_hash is " + p.getTxHash().size() + " bytes, expected 32");
    }
    if (p.getChain() < 0 || p.getChain() > 0xFFFF) {
      return new PeerMessage.Undecodable(
          OBSERVATION_REQUEST,
          bytes.length,
          "chain " + Integer.toUnsignedString(p.getChain()) + " is not a u16");
    }
    if (p.getSignature().size() != Signature.LENGTH || (p.getSignature().byteAt(64) & 0xff) > 1) {
      return new PeerMessage.Undecodable(
          OBSERVATION_REQUEST,
          bytes.length,
          p.getSignature().isEmpty()
              ? "unsigned (no signature)"
              : "signature is not 65 bytes with a recovery id of 0 or 1");
    }
    return new PeerMessage.ObservationRequest(
        Integer.toUnsignedLong(p.getCommitteeIndex()),
        p.getRequesterIndex(),
        p.getChain(),
        Bytes32.wrap(p.getTxHash().toByteArray()),
        p.getReplyTo(),
        p.getTimeMillis(),
        Signature.fromBytes(p.getSignature().toByteArray()));
  }

  private static PeerMessage decodeBodyRequest(byte[] bytes) throws InvalidProtocolBufferException {
    var p = dev.vigil.consensus.wire.proto.BodyRequest.parseFrom(bytes);
    if (p.getMessageId().size() != MessageId.ENCODED_LENGTH) {
      return new PeerMessage.Undecodable(
          BODY_REQUEST,
          bytes.length,
          "message_id is " + p.getMessageId().size() + " bytes, expected 42");
    }
    if (p.getDigest().size() != Digest.LENGTH) {
      return new PeerMessage.Undecodable(
          BODY_REQUEST, bytes.length, "digest is " + p.getDigest().size() + " bytes, expected 32");
    }
    if (p.getSignature().size() != Signature.LENGTH || (p.getSignature().byteAt(64) & 0xff) > 1) {
      return new PeerMessage.Undecodable(
          BODY_REQUEST,
          bytes.length,
          p.getSignature().isEmpty()
              ? "unsigned (no signature)"
              : "signature is not 65 bytes with a recovery id of 0 or 1");
    }
    return new PeerMessage.BodyRequest(
        Integer.toUnsignedLong(p.getCommitteeIndex()),
        p.getRequesterIndex(),
        MessageId.decode(p.getMessageId().toByteArray()),
        Digest.wrap(p.getDigest().toByteArray()),
        p.getReplyTo(),
        p.getTimeMillis(),
        Signature.fromBytes(p.getSignature().toByteArray()));
  }

  private static PeerMessage decodeBodyReply(byte[] bytes) throws InvalidProtocolBufferException {
    if (bytes.length > MAX_REPLY_BODY_BYTES + 16) {
      return new PeerMessage.Undecodable(
          BODY_REPLY, bytes.length, "larger than any body (" + bytes.length + " bytes)");
    }
    var p = dev.vigil.consensus.wire.proto.BodyReply.parseFrom(bytes);
    DecodeResult<Body> decoded = AttestationCodec.decodeBody(p.getBody().toByteArray());
    if (!(decoded instanceof DecodeResult.Ok<Body> ok)) {
      return new PeerMessage.Undecodable(BODY_REPLY, bytes.length, "body: " + decoded);
    }
    return new PeerMessage.BodyReply(ok.value());
  }

  private static PeerMessage decodeHeartbeat(byte[] bytes) throws InvalidProtocolBufferException {
    var p = dev.vigil.consensus.wire.proto.Heartbeat.parseFrom(bytes);
    if (p.getSignature().size() != Signature.LENGTH || (p.getSignature().byteAt(64) & 0xff) > 1) {
      return new PeerMessage.Undecodable(
          HEARTBEAT, bytes.length, "signature is not 65 bytes with v in {0,1}");
    }
    byte[] content = p.getContent().toByteArray();
    HeartbeatContent c = HeartbeatContent.parseFrom(content);
    Map<Integer, Long> heights = new HashMap<>();
    for (ChainHeight h : c.getHeightsList()) heights.put(h.getChain(), h.getHeight());
    var info =
        new PeerMessage.HeartbeatInfo(
            c.getNodeName(),
            Integer.toUnsignedLong(c.getCommitteeIndex()),
            c.getSignerIndex(),
            heights,
            c.getVersion(),
            c.getTimeMillis(),
            c.getInbox());
    return new PeerMessage.Heartbeat(
        info, content, Signature.fromBytes(p.getSignature().toByteArray()));
  }

  /** Storage form of an own pending observation (pending_own column). */
  public static byte[] encodePendingOwn(
      dev.vigil.consensus.observation.Observation observation, SignedObservation own) {
    return dev.vigil.consensus.wire.proto.PendingOwn.newBuilder()
        .setOwn(toProto(own))
        .setBlockNumber(observation.blockNumber())
        .setBlockHash(ByteString.copyFrom(observation.blockHash().toBytes()))
        .build()
        .toByteArray();
  }

  /**
   * An own pending observation from the store: (observation, own signature), or null if unreadable.
   */
  public static Map.Entry<dev.vigil.consensus.observation.Observation, SignedObservation>
      decodePendingOwn(byte[] bytes) {
    try {
      var p = dev.vigil.consensus.wire.proto.PendingOwn.parseFrom(bytes);
      SignedObservation own = fromProto(p.getOwn());
      if (own == null || own.body().isEmpty() || p.getBlockHash().size() != Bytes32.LENGTH)
        return null;
      var obs =
          new dev.vigil.consensus.observation.Observation(
              own.body().get(),
              own.txHash(),
              p.getBlockNumber(),
              Bytes32.wrap(p.getBlockHash().toByteArray()));
      return Map.entry(obs, own);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Evidence form: both conflicting signed observations, each with its body where this guardian
   * knew it (then checkable by anyone on its own).
   */
  public static byte[] encodeEquivocation(SignedObservation first, SignedObservation second) {
    return dev.vigil.consensus.wire.proto.Equivocation.newBuilder()
        .setFirst(toProto(first))
        .setSecond(toProto(second))
        .build()
        .toByteArray();
  }

  /** Both signed observations of stored evidence, or null if unreadable. */
  public static List<SignedObservation> decodeEquivocation(byte[] bytes) {
    try {
      var e = dev.vigil.consensus.wire.proto.Equivocation.parseFrom(bytes);
      SignedObservation a = fromProto(e.getFirst());
      SignedObservation b = fromProto(e.getSecond());
      return a == null || b == null ? null : List.of(a, b);
    } catch (InvalidProtocolBufferException | RuntimeException ex) {
      return null;
    }
  }

  /** Builds and signs a heartbeat (with the plain signer: heartbeats are not messages). */
  public static PeerMessage.Heartbeat heartbeat(PeerMessage.HeartbeatInfo info, Signer signer) {
    var c =
        HeartbeatContent.newBuilder()
            .setNodeName(info.nodeName())
            .setCommitteeIndex((int) info.committeeIndex())
            .setSignerIndex(info.signerIndex())
            .setVersion(info.version())
            .setTimeMillis(info.timeMillis())
            .setInbox(info.inbox());
    new TreeMap<>(info.heights())
        .forEach((chain, h) -> c.addHeights(ChainHeight.newBuilder().setChain(chain).setHeight(h)));
    byte[] content = c.build().toByteArray();
    return new PeerMessage.Heartbeat(info, content, signer.sign(heartbeatDigest(content)));
  }

  /** A batch of the sender's own signatures, signed by it (with its plain signer). */
  public static PeerMessage.ObservationBatch batch(
      long committeeIndex, int senderIndex, List<SignedObservation> own, Signer signer) {
    List<SignedObservation> entries = new ArrayList<>(own.size());
    for (SignedObservation so : own) entries.add(so.withoutBody());
    return new PeerMessage.ObservationBatch(
        committeeIndex,
        senderIndex,
        entries,
        signer.sign(batchDigest(committeeIndex, senderIndex, entries)),
        0);
  }

  /**
   * keccak256("vigil.observation-batch.v1" | committee index u32 | sender index u32 | for each
   * entry: message id (42 bytes) | digest | signature (65) | tx hash): what a batch's signature
   * covers (domain-separated from everything else a guardian signs).
   */
  public static byte[] batchDigest(
      long committeeIndex, int senderIndex, List<SignedObservation> entries) {
    int entry = MessageId.ENCODED_LENGTH + Digest.LENGTH + Signature.LENGTH + Bytes32.LENGTH;
    ByteBuffer b = ByteBuffer.allocate(BATCH_DOMAIN.length + 8 + entry * entries.size());
    b.put(BATCH_DOMAIN).putInt((int) committeeIndex).putInt(senderIndex);
    for (SignedObservation so : entries) {
      b.put(so.messageId().encode())
          .put(so.digest().toBytes())
          .put(so.signature().toBytes())
          .put(so.txHash().toBytes());
    }
    return Keccak256.hash(b.array());
  }

  /** A signed request to re-read {@code txHash} on {@code chain}. */
  public static PeerMessage.ObservationRequest request(
      long committeeIndex,
      int requesterIndex,
      int chain,
      Bytes32 txHash,
      String replyTo,
      long timeMillis,
      Signer signer) {
    return new PeerMessage.ObservationRequest(
        committeeIndex,
        requesterIndex,
        chain,
        txHash,
        replyTo,
        timeMillis,
        signer.sign(requestDigest(committeeIndex, requesterIndex, chain, txHash, timeMillis)));
  }

  /**
   * keccak256("vigil.observation-request.v1" | committee index u32 | requester index u32 | chain
   * u16 | tx hash | time u64): what a re-read request's signature covers (domain-separated from
   * heartbeats and from message digests).
   */
  public static byte[] requestDigest(
      long committeeIndex, int requesterIndex, int chain, Bytes32 txHash, long timeMillis) {
    ByteBuffer b = ByteBuffer.allocate(REQUEST_DOMAIN.length + 4 + 4 + 2 + Bytes32.LENGTH + 8);
    b.put(REQUEST_DOMAIN)
        .putInt((int) committeeIndex)
        .putInt(requesterIndex)
        .putShort((short) chain)
        .put(txHash.toBytes())
        .putLong(timeMillis);
    return Keccak256.hash(b.array());
  }

  /** A signed request for the body of {@code digest} (a half of evidence that lacks it). */
  public static PeerMessage.BodyRequest bodyRequest(
      long committeeIndex,
      int requesterIndex,
      MessageId messageId,
      Digest digest,
      String replyTo,
      long timeMillis,
      Signer signer) {
    return new PeerMessage.BodyRequest(
        committeeIndex,
        requesterIndex,
        messageId,
        digest,
        replyTo,
        timeMillis,
        signer.sign(
            bodyRequestDigest(committeeIndex, requesterIndex, messageId, digest, timeMillis)));
  }

  /**
   * keccak256("vigil.body-request.v1" | committee index u32 | requester index u32 | message id (42
   * bytes) | digest | time u64): what a body request's signature covers (domain-separated from
   * everything else a guardian signs).
   */
  public static byte[] bodyRequestDigest(
      long committeeIndex,
      int requesterIndex,
      MessageId messageId,
      Digest digest,
      long timeMillis) {
    ByteBuffer b =
        ByteBuffer.allocate(
            BODY_REQUEST_DOMAIN.length + 4 + 4 + MessageId.ENCODED_LENGTH + Digest.LENGTH + 8);
    b.put(BODY_REQUEST_DOMAIN)
        .putInt((int) committeeIndex)
        .putInt(requesterIndex)
        .put(messageId.encode())
        .put(digest.toBytes())
        .putLong(timeMillis);
    return Keccak256.hash(b.array());
  }

  /** keccak256("vigil.heartbeat.v1" | content): what a heartbeat's signature covers. */
  public static byte[] heartbeatDigest(byte[] content) {
    byte[] buf = new byte[HEARTBEAT_DOMAIN.length + content.length];
    System.arraycopy(HEARTBEAT_DOMAIN, 0, buf, 0, HEARTBEAT_DOMAIN.length);
    System.arraycopy(content, 0, buf, HEARTBEAT_DOMAIN.length, content.length);
    return Keccak256.hash(buf);
  }
}
