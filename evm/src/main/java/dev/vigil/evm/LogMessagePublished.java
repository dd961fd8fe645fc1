package dev.vigil.evm;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.core.methods.response.Log;

/** The source event, decoded with web3j's ABI decoder; garbage logs give a clear exception. */
public final class LogMessagePublished {
  public static final Event EVENT =
      new Event(
          "LogMessagePublished",
          List.of(
              new TypeReference<Address>(true) {},
              new TypeReference<Uint64>() {},
              new TypeReference<Uint32>() {},
              new TypeReference<DynamicBytes>() {},
              new TypeReference<Uint8>() {}));
  public static final String TOPIC = EventEncoder.encode(EVENT);

  public record Decoded(
      byte[] sender32, long sequence, long nonce, byte[] payload, int consistencyLevel) {}

  private LogMessagePublished() {}

  /** Decodes a log of this event; throws {@link MalformedRpcDataException} naming the problem. */
  @SuppressWarnings("rawtypes")
  public static Decoded decode(Log log) {
    List<String> topics = log.getTopics();
    if (topics == null || topics.size() != 2 || !TOPIC.equalsIgnoreCase(topics.get(0))) {
      throw new MalformedRpcDataException(
          "log " + where(log) + " is not LogMessagePublished (topics " + topics + ")");
    }
    List<Type> values;
    Address sender;
    try {
      values = FunctionReturnDecoder.decode(log.getData(), EVENT.getNonIndexedParameters());
      sender =
          (Address)
              FunctionReturnDecoder.decodeIndexedValue(
                  topics.get(1), new TypeReference<Address>() {});
    } catch (RuntimeException e) {
      throw new MalformedRpcDataException(
          "log " + where(log) + " has undecodable data: " + e.getMessage());
    }
    if (values.size() != 4) {
      throw new MalformedRpcDataException(
          "log " + where(log) + " decoded to " + values.size() + " fields, expected 4");
    }
    byte[] sender32 = new byte[32];
    byte[] s20 = org.web3j.utils.Numeric.hexStringToByteArray(sender.getValue());
    System.arraycopy(s20, 0, sender32, 32 - s20.length, s20.length);
    return new Decoded(
        sender32,
        ((BigInteger) values.get(0).getValue()).longValue(),
        ((BigInteger) values.get(1).getValue()).longValue(),
        (byte[]) values.get(2).getValue(),
        ((BigInteger) values.get(3).getValue()).intValue());
  }

  static String where(Log log) {
    return "tx " + log.getTransactionHash() + " index " + log.getLogIndexRaw();
  }
}
