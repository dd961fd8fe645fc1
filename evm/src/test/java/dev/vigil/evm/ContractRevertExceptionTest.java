package dev.vigil.evm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.protocol.core.Response;

/** Revert data as nodes send it (anvil's JSON answer, captured) becomes the contract's reason. */
class ContractRevertExceptionTest {
  static final String ALREADY_EXECUTED =
      "0x08c379a0"
          + "0000000000000000000000000000000000000000000000000000000000000020"
          + "0000000000000000000000000000000000000000000000000000000000000018"
          + "6d65737361676520616c72656164792065786563757465640000000000000000";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // what                         | code | message                                          |
        // data                        | reason
        "Error(string), JSON-quoted     | 3    | execution reverted: message already executed     | \""
            + ALREADY_EXECUTED
            + "\" | message already executed",
        "Error(string), bare            | 3    | execution reverted                               | "
            + ALREADY_EXECUTED
            + "    | message already executed",
        "Panic(0x11) overflow           | 3    | execution reverted                               | 0x4e487b710000000000000000000000000000000000000000000000000000000000000011 | panic 0x11",
        "revert() without data          | 3    | execution reverted                               | 0x                          | (no reason)",
        "custom error                   | 3    | execution reverted                               | 0xdeadbeef                  | revert data 0xdeadbeef",
        "Error(string) cut short        | 3    | execution reverted                               | 0x08c379a00000              | revert data 0x08c379a00000",
        "no data, reason in the message | 3    | 'execution reverted: only owner'                 | null                        | only owner",
        "not a revert                   | -32000 | nonce too low                                  | null                        | null",
      })
  void revertReasonFromAnRpcError(
      String what, int code, String message, String data, String reason) {
    Response.Error error = new Response.Error(code, message);
    error.setData(data);
    assertThat(ContractRevertException.revertReason(error)).isEqualTo(Optional.ofNullable(reason));
  }
}
