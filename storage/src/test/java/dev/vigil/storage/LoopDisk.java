package dev.vigil.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real small ext4 file system on a loop device, mounted on a directory, for disk-fault tests
 * (needs root, loop devices and e2fsprogs; {@link #unavailable} says why not otherwise).
 *
 * <p>Full: a ballast file written until the kernel answers ENOSPC; healed by deleting it.
 * Read-only: an ext4 error with errors=remount-ro, the way a disk goes read-only under a running
 * process in production (a plain "mount -o remount,ro" is refused while the database holds its log
 * open); healed the only way Linux allows: unmount once the process let go, e2fsck, mount again.
 */
final class LoopDisk implements AutoCloseable {
  final Path image;
  final Path mountPoint;
  private final Path ballast;

  private LoopDisk(Path image, Path mountPoint) {
    this.image = image;
    this.mountPoint = mountPoint;
    this.ballast = mountPoint.resolve("ballast");
  }

  /** Why this machine cannot run such a test, or null if it can. */
  static String unavailable() {
    if (!"root".equals(System.getProperty("user.name")))
      return "not root (mounting needs CAP_SYS_ADMIN)";
    for (String tool : List.of("/usr/sbin/mkfs.ext4", "/usr/sbin/e2fsck", "/usr/bin/mount")) {
      if (!Files.isExecutable(Path.of(tool))
          && !Files.isExecutable(Path.of(tool.replace("/usr", "")))) return tool + " missing";
    }
    if (!Files.exists(Path.of("/dev/loop-control")))
      return "no /dev/loop-control (no loop devices)";
    return null;
  }

  static LoopDisk create(Path dir, int sizeMiB) throws IOException {
    Path image = dir.resolve("disk.img");
    Path mnt = dir.resolve("mnt");
    Files.createDirectories(mnt);
    try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      f.setLength((long) sizeMiB << 20);
    }
    run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
    LoopDisk d = new LoopDisk(image, mnt);
    d.mount();
    return d;
  }

  void mount() throws IOException {
    run("mount", "-o", "loop,errors=remount-ro", image.toString(), mountPoint.toString());
  }

  /** Writes the ballast until the file system is full; returns its size. */
  long fill() throws IOException {
    byte[] chunk = new byte[1 << 20];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(ballast)) {
      for (int size = chunk.length; size >= 512; ) {
        try {
          out.write(chunk, 0, size);
          out.flush();
          written += size;
        } catch (IOException e) {
          size /= 2; // the last blocks
        }
      }
    } catch (IOException e) {
      // close after ENOSPC may fail the same way: the file system is full either way
    }
    return written;
  }

  void unfill() throws IOException {
    Files.deleteIfExists(ballast);
  }

  /** An ext4 error: the kernel makes the file system read-only under every open file. */
  void breakReadOnly() throws IOException {
    String dev = source();
    Path trigger =
        Path.of("/sys/fs/ext4", Path.of(dev).getFileName().toString(), "trigger_fs_error");
    Files.writeString(trigger, "vigil disk-fault test", StandardCharsets.US_ASCII);
  }

  /**
   * After {@link #breakReadOnly}: unmount (nothing may hold a file), check and repair, mount again.
   */
  void repairReadOnly() throws IOException {
    run("umount", mountPoint.toString());
    fsck();
    mount();
  }

  void fsck() throws IOException {
    // 0: clean, 1: errors corrected (the error flag we set), anything else is a real problem.
    int rc = runRc("e2fsck", "-f", "-y", image.toString());
    if (rc > 1) throw new IOException("e2fsck -f -y " + image + " exited with " + rc);
  }

  String source() throws IOException {
    return run("findmnt", "-n", "-o", "SOURCE", mountPoint.toString()).trim();
  }

  @Override
  public void close() throws IOException {
    if (runRc("mountpoint", "-q", mountPoint.toString()) == 0) {
      if (runRc("umount", mountPoint.toString()) != 0) run("umount", "-l", mountPoint.toString());
    }
    Files.deleteIfExists(image);
  }

  static String run(String... cmd) throws IOException {
    StringBuilder out = new StringBuilder();
    int rc = exec(out, cmd);
    if (rc != 0)
      throw new IOException(
          String.join(" ", cmd) + " exited with " + rc + ": " + out.toString().trim());
    return out.toString();
  }

  static int runRc(String... cmd) throws IOException {
    return exec(new StringBuilder(), cmd);
  }

  private static int exec(StringBuilder out, String... cmd) throws IOException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
    try {
      out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
