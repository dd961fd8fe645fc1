package dev.vigil.consensus.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Secp256k1Backends;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips through the serializer Pekko picks from reference.conf, and hostile bytes. */
class WireSerializerTest {
  static final TestCommittee KEYS =
      TestCommittee.create(new Random(2), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(3, 8, 40);
  static ActorSystem<Void> system;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "wire-test",
            com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(com.typesafe.config.ConfigFactory.load()));
    serialization = SerializationExtension.get(system);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  static SignedObservation signed(int i, Observation o) {
    return SignedObservation.of(1, i, o.body(), KEYS.sign(i, o.digest()).signature(), o.txHash());
  }

  /** Member i's own signatures over {@code os}, in a batch it signed. */
  static PeerMessage.ObservationBatch batch(int i, Observation... os) {
    List<SignedObservation> entries = new java.util.ArrayList<>();
    for (Observation o : os) entries.add(signed(i, o));
    return WireCodec.batch(1, i, entries, KEYS.signer(i));
  }

  static Object roundTrip(Object m) {
    var ser = serialization.findSerializerFor(m);
    assertThat(ser).isInstanceOf(WireSerializer.class);
    byte[] bytes = serialization.serialize(m).get();
    return serialization
        .deserialize(bytes, ser.identifier(), Serializers.manifestFor(ser, m))
        .get();
  }

  @Test
  void javaSerializationIsOff() {
    assertThat(system.settings().config().getString("pekko.actor.allow-java-serialization"))
        .isEqualTo("off");
  }

  @Test
  void observationBatchRoundTripsWithoutBodiesAndSignedByItsSender() {
    var batch = batch(1, OBS.get(0), OBS.get(1), OBS.get(2));
    var back = (PeerMessage.ObservationBatch) roundTrip(batch);
    assertThat(back.observations()).isEqualTo(batch.observations());
    assertThat(back.observations().get(1).digest()).isEqualTo(OBS.get(1).digest());
    assertThat(back.observations().get(1).messageId()).isEqualTo(OBS.get(1).messageId());
    assertThat(back.observations()).allSatisfy(so -> assertThat(so.body()).isEmpty());
    assertThat(back.senderIndex()).isEqualTo(1);
    assertThat(back.undecodable()).isZero();
    assertThat(
            Secp256k1Backends.bouncyCastle()
                .recoverAddress(WireCodec.batchDigest(1, 1, back.observations()), back.signature()))
        .as("the batch signature is member 1's, over what arrived")
        .isEqualTo(KEYS.committee().member(1));
    // What a signature of 40 bytes of payload costs on the wire, without the body.
    assertThat(WireCodec.encode(batch(1, OBS.get(0))).length)
        .isLessThanOrEqualTo(SignedObservation.WIRE_BYTES + 100);
  }

  @Test
  void anUnsignedBatchIsUndecodableAndEntriesNotTheSendersOwnAreCounted() {
    var signedBatch = WireCodec.encode(batch(0, OBS.get(0)));
    var pb = parse(signedBatch).toBuilder().clearSignature().build();
    assertThat(WireCodec.decode(WireCodec.OBSERVATION_BATCH, pb.toByteArray()))
        .isInstanceOfSatisfying(
            PeerMessage.Undecodable.class,
            u -> assertThat(u.reason()).isEqualTo("unsigned batch (no sender signature)"));

    var someoneElses = WireCodec.toWire(signed(1, OBS.get(1)));
    var withBody = WireCodec.toProto(signed(0, OBS.get(2)));
    byte[] mixed =
        parse(signedBatch).toBuilder()
            .addObservations(someoneElses)
            .addObservations(withBody)
            .build()
            .toByteArray();
    var m = (PeerMessage.ObservationBatch) WireCodec.decode(WireCodec.OBSERVATION_BATCH, mixed);
    assertThat(m.observations())
        .extracting(SignedObservation::messageId)
        .containsExactly(OBS.get(0).messageId());
    assertThat(m.undecodable())
        .as("member 1's entry in member 0's batch, and a body sent between guardians")
        .isEqualTo(2);
  }

  static dev.vigil.consensus.wire.proto.SignedObservationBatch parse(byte[] bytes) {
    try {
      return dev.vigil.consensus.wire.proto.SignedObservationBatch.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void attestationBatchRoundTripsByteForByte() {
    Attestation a = KEYS.attestQuorum(OBS.get(0).body());
    var back =
        (PeerMessage.AttestationBatch) roundTrip(PeerMessage.AttestationBatch.of(List.of(a)));
    assertThat(AttestationCodec.encode(back.attestations().get(0)))
        .isEqualTo(AttestationCodec.encode(a));
  }

  @Test
  void observationRequestRoundTripsWithTheRequestersSignature() {
    var r =
        WireCodec.request(
            1,
            3,
            2,
            OBS.get(0).txHash(),
            "pekko://vigil@127.0.0.1:1/user/inbox",
            123456789L,
            KEYS.signer(3));
    var back = (PeerMessage.ObservationRequest) roundTrip(r);
    assertThat(back).usingRecursiveComparison().isEqualTo(r);
    assertThat(
            Secp256k1Backends.bouncyCastle()
                .recoverAddress(
                    WireCodec.requestDigest(1, 3, 2, OBS.get(0).txHash(), 123456789L),
                    back.signature()))
        .isEqualTo(KEYS.committee().member(3));
  }

  @Test
  void anUnsignedObservationRequestDoesNotDecode() throws Exception {
    byte[] unsigned =
        dev.vigil.consensus.wire.proto.ObservationRequest.newBuilder()
            .setCommitteeIndex(1)
            .setRequesterIndex(3)
            .setChain(2)
            .setTxHash(com.google.protobuf.ByteString.copyFrom(OBS.get(0).txHash().toBytes()))
            .build()
            .toByteArray();
    Object decoded = new WireSerializer(null).fromBinary(unsigned, WireCodec.OBSERVATION_REQUEST);
    assertThat(decoded).isInstanceOf(PeerMessage.Undecodable.class);
    assertThat(((PeerMessage.Undecodable) decoded).reason()).isEqualTo("unsigned (no signature)");
  }

  @Test
  void bodyRequestRoundTripsWithTheRequestersSignatureOverADomainOfItsOwn() {
    Observation o = OBS.get(0);
    var r =
        WireCodec.bodyRequest(
            1,
            2,
            o.messageId(),
            o.digest(),
            "pekko://vigil@127.0.0.1:1/user/inbox",
            123456789L,
            KEYS.signer(2));
    var back = (PeerMessage.BodyRequest) roundTrip(r);
    assertThat(back).usingRecursiveComparison().isEqualTo(r);
    byte[] signed = WireCodec.bodyRequestDigest(1, 2, o.messageId(), o.digest(), 123456789L);
    assertThat(Secp256k1Backends.bouncyCastle().recoverAddress(signed, back.signature()))
        .isEqualTo(KEYS.committee().member(2));
    assertThat(signed)
        .as("never the digest of a message, nor a re-read request's")
        .isNotEqualTo(o.digest().toBytes())
        .isNotEqualTo(WireCodec.requestDigest(1, 2, 2, o.txHash(), 123456789L));
  }

  @Test
  void aBodyRequestWithoutSignatureOrWithAShortDigestDoesNotDecode() throws Exception {
    Observation o = OBS.get(0);
    var unsigned =
        dev.vigil.consensus.wire.proto.BodyRequest.newBuilder()
            .setCommitteeIndex(1)
            .setRequesterIndex(2)
            .setMessageId(com.google.protobuf.ByteString.copyFrom(o.messageId().encode()))
            .setDigest(com.google.protobuf.ByteString.copyFrom(o.digest().toBytes()));
    Object decoded =
        new WireSerializer(null).fromBinary(unsigned.build().toByteArray(), WireCodec.BODY_REQUEST);
    assertThat(((PeerMessage.Undecodable) decoded).reason()).isEqualTo("unsigned (no signature)");
    unsigned.setDigest(com.google.protobuf.ByteString.copyFrom(new byte[31]));
    decoded =
        new WireSerializer(null).fromBinary(unsigned.build().toByteArray(), WireCodec.BODY_REQUEST);
    assertThat(((PeerMessage.Undecodable) decoded).reason())
        .isEqualTo("digest is 31 bytes, expected 32");
  }

  @Test
  void bodyReplyRoundTripsItsBodyAndRefusesOneThatDoesNotDecode() throws Exception {
    var reply = new PeerMessage.BodyReply(OBS.get(1).body());
    var back = (PeerMessage.BodyReply) roundTrip(reply);
    assertThat(back.body()).isEqualTo(OBS.get(1).body());
    assertThat(back.body().digest()).isEqualTo(OBS.get(1).digest());
    byte[] shortBody =
        dev.vigil.consensus.wire.proto.BodyReply.newBuilder()
            .setBody(com.google.protobuf.ByteString.copyFrom(new byte[20]))
            .build()
            .toByteArray();
    Object decoded = new WireSerializer(null).fromBinary(shortBody, WireCodec.BODY_REPLY);
    assertThat(((PeerMessage.Undecodable) decoded).reason()).startsWith("body: ");
  }

  @Test
  void heartbeatRoundTripsAndItsSignatureCoversTheContent() {
    var info =
        new PeerMessage.HeartbeatInfo(
            "g1", 1, 1, Map.of(2, 100L, 5, 7L), "0.1.0", 123456789L, "ref");
    var hb = WireCodec.heartbeat(info, KEYS.signer(1));
    var back = (PeerMessage.Heartbeat) roundTrip(hb);
    assertThat(back.info()).isEqualTo(info);
    var recovered =
        Secp256k1Backends.bouncyCastle()
            .recoverAddress(WireCodec.heartbeatDigest(back.content()), back.signature());
    assertThat(recovered).isEqualTo(KEYS.committee().member(1));
  }

  static Stream<Arguments> garbage() {
    byte[] valid = WireCodec.encode(batch(0, OBS.get(0)));
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);
    byte[] random = new byte[300];
    new Random(1).nextBytes(random);
    return Stream.of(
        Arguments.of("random bytes as an observation batch", WireCodec.OBSERVATION_BATCH, random),
        Arguments.of("truncated observation batch", WireCodec.OBSERVATION_BATCH, truncated),
        Arguments.of("random bytes as an attestation batch", WireCodec.ATTESTATION_BATCH, random),
        Arguments.of("random bytes as a request", WireCodec.OBSERVATION_REQUEST, random),
        Arguments.of("random bytes as a heartbeat", WireCodec.HEARTBEAT, random),
        Arguments.of("empty heartbeat", WireCodec.HEARTBEAT, new byte[0]),
        Arguments.of("unknown manifest", "Nope.v9", valid),
        Arguments.of("null bytes", WireCodec.HEARTBEAT, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void garbageNeverThrowsAndIsReportedAsDroppedOrUndecodable(
      String what, String manifest, byte[] bytes) throws Exception {
    Object m = new WireSerializer(null).fromBinary(bytes, manifest);
    assertThat(m).isInstanceOf(PeerMessage.class);
    boolean reported =
        m instanceof PeerMessage.Undecodable
            || (m instanceof PeerMessage.ObservationBatch b && b.observations().isEmpty())
            || (m instanceof PeerMessage.AttestationBatch a && a.attestations().isEmpty())
            || m instanceof PeerMessage.ObservationRequest
            || m instanceof PeerMessage.Heartbeat;
    assertThat(reported).as("%s decodes to %s", what, m).isTrue();
  }

  @Test
  void aBadEntryInABatchIsCountedAndTheRestKept() {
    var good = WireCodec.toWire(signed(0, OBS.get(0)));
    var bad =
        good.toBuilder()
            .setSignature(com.google.protobuf.ByteString.copyFrom(new byte[10]))
            .build();
    var badDigest =
        good.toBuilder().setDigest(com.google.protobuf.ByteString.copyFrom(new byte[5])).build();
    byte[] bytes =
        parse(WireCodec.encode(batch(0, OBS.get(1)))).toBuilder()
            .clearObservations()
            .addObservations(bad)
            .addObservations(good)
            .addObservations(badDigest)
            .build()
            .toByteArray();
    var m = (PeerMessage.ObservationBatch) WireCodec.decode(WireCodec.OBSERVATION_BATCH, bytes);
    assertThat(m.observations()).hasSize(1);
    assertThat(m.undecodable()).isEqualTo(2);
  }

  @Test
  void randomMutationsOfValidMessagesNeverThrow() {
    Random r = new Random(77);
    byte[] valid = WireCodec.encode(batch(0, OBS.get(0), OBS.get(1)));
    for (int k = 0; k < 2000; k++) {
      byte[] b = valid.clone();
      for (int j = 0; j < 1 + r.nextInt(4); j++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      byte[] cut = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      for (String manifest :
          List.of(
              WireCodec.OBSERVATION_BATCH,
              WireCodec.ATTESTATION_BATCH,
              WireCodec.HEARTBEAT,
              WireCodec.OBSERVATION_REQUEST)) {
        assertThat(WireCodec.decode(manifest, cut)).isNotNull();
      }
    }
  }

  static Stream<Arguments> batchSizes() {
    return Stream.of(
        Arguments.of(WireCodec.OBSERVATION_BATCH, 1000, false),
        Arguments.of(WireCodec.OBSERVATION_BATCH, 1001, true),
        Arguments.of(WireCodec.OBSERVATION_BATCH, 1_000_000, true),
        Arguments.of(WireCodec.ATTESTATION_BATCH, 1000, false),
        Arguments.of(WireCodec.ATTESTATION_BATCH, 1001, true));
  }

  /**
   * Entries of two bytes each (tag of field 1, length 0): a million of them are 2 MB, under
   * Artery's frame limit.
   */
  @ParameterizedTest(name = "{0} with {1} empty entries refused: {2}")
  @MethodSource("batchSizes")
  void aBatchWithMoreEntriesThanTheLimitIsRefusedWhole(
      String manifest, int entries, boolean refused) throws Exception {
    // An observation batch also carries its sender's signature (field 4, 65 bytes).
    int signature = manifest.equals(WireCodec.OBSERVATION_BATCH) ? 2 + 65 : 0;
    byte[] bytes = new byte[2 * entries + signature];
    for (int k = 0; k < entries; k++) bytes[2 * k] = 0x0a;
    if (signature > 0) {
      bytes[2 * entries] = 0x22;
      bytes[2 * entries + 1] = 65;
    }
    PeerMessage m =
        new WireSerializer(null).fromBinary(bytes, manifest) instanceof PeerMessage pm ? pm : null;
    if (refused) {
      assertThat(m)
          .isInstanceOfSatisfying(
              PeerMessage.Undecodable.class,
              u ->
                  assertThat(u.reason())
                      .isEqualTo("batch has more than 1000 entries (" + bytes.length + " bytes)"));
    } else {
      int undecodable =
          m instanceof PeerMessage.ObservationBatch b
              ? b.undecodable()
              : ((PeerMessage.AttestationBatch) m).undecodable();
      assertThat(undecodable).as("every empty entry counted as undecodable").isEqualTo(entries);
    }
  }

  @Test
  void theEntryLimitComesFromTheConfiguration() throws Exception {
    var small =
        ActorSystem.create(
            Behaviors.empty(),
            "wire-limit",
            com.typesafe.config.ConfigFactory.parseString(
                    """
        pekko.actor.provider = local
        vigil.consensus.max-batch-entries = 2
        """)
                .withFallback(com.typesafe.config.ConfigFactory.load()));
    try {
      var ser =
          (WireSerializer)
              SerializationExtension.get(small).serializerFor(PeerMessage.ObservationBatch.class);
      byte[] three = WireCodec.encode(batch(0, OBS.get(0), OBS.get(1), OBS.get(2)));
      assertThat(ser.fromBinary(three, WireCodec.OBSERVATION_BATCH))
          .isInstanceOf(PeerMessage.Undecodable.class);
      byte[] two = WireCodec.encode(batch(0, OBS.get(0), OBS.get(1)));
      assertThat(ser.fromBinary(two, WireCodec.OBSERVATION_BATCH))
          .isInstanceOfSatisfying(
              PeerMessage.ObservationBatch.class, b -> assertThat(b.observations()).hasSize(2));
    } finally {
      small.terminate();
    }
  }
}
