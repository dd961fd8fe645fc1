package dev.vigil.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** A contract's creation bytecode as forge wrote it to {@code out/<File>.sol/<Name>.json}. */
public record ContractArtifact(String name, String bytecode) {
  public static ContractArtifact load(Path json) {
    try {
      JsonNode root = new ObjectMapper().readTree(json.toFile());
      JsonNode code = root.path("bytecode").path("object");
      if (!code.isTextual() || code.asText().length() < 4) {
        throw new IllegalStateException(
            json + " has no bytecode.object; rebuild the contracts (forge build)");
      }
      String name = json.getFileName().toString().replaceFirst("\\.json$", "");
      return new ContractArtifact(name, code.asText());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read contract artifact " + json + ": " + e.getMessage(), e);
    }
  }
}
