package dev.vigil.testing.disk;

import java.nio.file.Path;

/**
 * Prepares each guardian's data dir before the guardian first starts (e.g. mounts a file system of
 * its own there, so that a disk fault hits one guardian only), and undoes that when the devnet
 * closes, after every guardian has stopped.
 */
public interface DataDirSetup extends AutoCloseable {
  DataDirSetup NONE =
      new DataDirSetup() {
        @Override
        public void prepare(int guardian, Path dataDir) {}

        @Override
        public void close() {}
      };

  void prepare(int guardian, Path dataDir);

  /** Must not throw: it runs at the end of every devnet, failed or not. */
  @Override
  void close();
}
