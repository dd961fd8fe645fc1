package dev.vigil.testing.disk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each guardian's data dir on a small ext4 file system of its own (a sparse image on a loop
 * device), so that a disk fault hits one guardian only:
 *
 * <ul>
 *   <li>full: a ballast file written until the kernel answers ENOSPC; healed by deleting it, while
 *       the guardian runs;
 *   <li>read-only: an ext4 error with {@code errors=remount-ro}, which is how a disk turns
 *       read-only under a running process in production (EROFS on every write through files it
 *       holds open; a plain {@code mount -o remount,ro} is refused while RocksDB holds its log
 *       open). Linux clears it only by unmount, e2fsck and mount, so the guardian is stopped first.
 * </ul>
 *
 * Needs root (CAP_SYS_ADMIN), loop devices and e2fsprogs; without them every guardian gets a plain
 * directory and {@link #unavailable()} says why. {@link #close()} unmounts everything, also from a
 * shutdown hook if the JVM is stopped.
 */
public final class DataDisks implements DataDirSetup {
  public static final int DEFAULT_SIZE_MIB = 128;
  static final String BALLAST = ".chaos-ballast";

  private final Path imageDir;
  private final int sizeMiB;
  private final Map<Integer, Path> mounts = new HashMap<>();
  private final Map<Integer, Path> images = new HashMap<>();
  private final Thread hook = new Thread(this::close, "data-disks-unmount");
  private String unavailable;

  /**
   * {@code sizeMiB} 0 turns disk faults off. Leftover mounts under {@code workDir} (a killed run)
   * are unmounted.
   */
  public DataDisks(Path workDir, int sizeMiB) {
    this.imageDir = workDir.toAbsolutePath().normalize().resolve("disks");
    this.sizeMiB = sizeMiB;
    if (sizeMiB < 0 || (sizeMiB > 0 && sizeMiB < 32))
      throw new IllegalArgumentException(
          "--disk-size must be 0 (off) or >= 32 MiB, got " + sizeMiB);
    this.unavailable = sizeMiB == 0 ? "turned off (--disk-size 0)" : check();
    if (unavailable == null) {
      unmountUnder(workDir.toAbsolutePath().normalize());
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** Why disk faults cannot run here, or null if they can. */
  public synchronized String unavailable() {
    return unavailable;
  }

  private static String check() {
    if (!"root".equals(System.getProperty("user.name")))
      return "not root: mounting a file system per guardian needs CAP_SYS_ADMIN";
    if (!Files.exists(Path.of("/dev/loop-control")))
      return "no loop devices (/dev/loop-control missing)";
    if (!Files.isDirectory(Path.of("/sys/fs/ext4"))) return "the kernel has no ext4";
    for (String tool : List.of("mkfs.ext4", "e2fsck", "mount", "umount", "findmnt")) {
      if (!onPath(tool)) return tool + " not found (e2fsprogs / util-linux)";
    }
    return null;
  }

  private static boolean onPath(String tool) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }

  @Override
  public synchronized void prepare(int guardian, Path dataDir) {
    if (unavailable != null) return;
    try {
      Files.createDirectories(imageDir);
      Files.createDirectories(dataDir);
      Path image = imageDir.resolve("guardian-" + guardian + ".img");
      Files.deleteIfExists(image);
      try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
        f.setLength((long) sizeMiB << 20); // sparse: only what is written takes space
      }
      run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
      run("mount", "-o", "loop,errors=remount-ro", image.toString(), dataDir.toString());
      images.put(guardian, image);
      mounts.put(guardian, dataDir);
    } catch (IOException | RuntimeException e) {
      // The devnet runs on plain dirs then; the chaos summary reports the reason.
      unavailable = "cannot mount a file system for guardian " + guardian + ": " + e.getMessage();
      close();
    }
  }

  public synchronized boolean mounted(int guardian) {
    return mounts.containsKey(guardian);
  }

  /** Writes the ballast until the guardian's file system is full; returns its size in bytes. */
  public long fill(int guardian) throws IOException {
    Path ballast = mountOf(guardian).resolve(BALLAST);
    byte[] chunk = new byte[1 << 20];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(ballast)) {
      for (int size = chunk.length; size >= 512; ) {
        try {
          out.write(chunk, 0, size);
          out.flush();
          written += size;
        } catch (IOException e) {
          size /= 2; // down to the last blocks
        }
      }
    } catch (IOException e) {
      // closing after ENOSPC may fail the same way: the file system is full either way
    }
    return written;
  }

  public void unfill(int guardian) throws IOException {
    Files.deleteIfExists(mountOf(guardian).resolve(BALLAST));
  }

  /** An ext4 error: the kernel turns the guardian's file system read-only under its open files. */
  public void breakReadOnly(int guardian) throws IOException {
    String dev = run("findmnt", "-n", "-o", "SOURCE", mountOf(guardian).toString()).trim();
    Path trigger =
        Path.of("/sys/fs/ext4", Path.of(dev).getFileName().toString(), "trigger_fs_error");
    Files.writeString(trigger, "vigil chaos: disk fault", StandardCharsets.US_ASCII);
  }

  /** After {@link #breakReadOnly}, with the guardian stopped: unmount, e2fsck, mount again. */
  public synchronized void repair(int guardian) throws IOException {
    Path mnt = mountOf(guardian);
    run("umount", mnt.toString());
    int rc = exec(new StringBuilder(), "e2fsck", "-f", "-y", images.get(guardian).toString());
    if (rc > 1)
      throw new IOException(
          "e2fsck -f -y "
              + images.get(guardian)
              + " exited with "
              + rc
              + " (1 = errors corrected)");
    run("mount", "-o", "loop,errors=remount-ro", images.get(guardian).toString(), mnt.toString());
  }

  private synchronized Path mountOf(int guardian) {
    Path p = mounts.get(guardian);
    if (p == null)
      throw new IllegalStateException(
          "guardian "
              + guardian
              + "'s data dir is not on a disk of its own"
              + (unavailable == null ? "" : ": " + unavailable));
    return p;
  }

  /**
   * Unmounts every guardian's file system (lazily if a process still holds it) and deletes the
   * images.
   */
  @Override
  public synchronized void close() {
    for (Map.Entry<Integer, Path> e : mounts.entrySet()) {
      String mnt = e.getValue().toString();
      try {
        if (exec(new StringBuilder(), "umount", mnt) != 0)
          exec(new StringBuilder(), "umount", "-l", mnt);
      } catch (IOException ex) {
        System.err.println("cannot unmount " + mnt + ": " + ex.getMessage());
      }
    }
    mounts.clear();
    for (Path image : images.values()) {
      try {
        Files.deleteIfExists(image);
      } catch (IOException ex) {
        // a lazily unmounted image goes once its loop device is released; the next run wipes the
        // dir
      }
    }
    images.clear();
    try {
      if (Thread.currentThread() != hook) Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException ex) {
      // shutting down already, or never registered
    }
  }

  /** Mounts left under {@code dir} by a run that was killed before it could unmount. */
  private static void unmountUnder(Path dir) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && f[1].startsWith(dir + "/"))
          exec(new StringBuilder(), "umount", "-l", f[1]);
      }
    } catch (IOException e) {
      // nothing to clean, or no /proc: mounting will say what is wrong
    }
  }

  private static String run(String... cmd) throws IOException {
    StringBuilder out = new StringBuilder();
    int rc = exec(out, cmd);
    if (rc != 0)
      throw new IOException(
          String.join(" ", cmd) + " exited with " + rc + ": " + out.toString().trim());
    return out.toString();
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
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
  }
}
