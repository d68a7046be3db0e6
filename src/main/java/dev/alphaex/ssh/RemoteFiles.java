package dev.alphaex.ssh;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Results back over SFTP on the cluster's own reused SSH session (same identity, same host-key
 * checks, no second login). Files land atomically: each is written under a hidden temporary name in
 * the target folder ({@code .name.part}, which Camel's file consumer ignores) and renamed when complete.
 */
public final class RemoteFiles {
    /** A regular file in a remote folder. */
    public record RemoteFile(String name, long size, long modifiedEpochSeconds) {
    }

    /**
     * What one fetch did.
     *
     * @param fetched names brought into the local folder by this call (each exactly once)
     * @param missing asked names the remote folder does not have (yet)
     * @param present names the local folder already had (not fetched again: an earlier fetch, e.g. by a
     *                controller that died before it could record it)
     */
    public record Fetch(List<String> fetched, List<String> missing, List<String> present) {
        public Fetch {
            fetched = List.copyOf(fetched);
            missing = List.copyOf(missing);
            present = List.copyOf(present);
        }
    }

    private final SshSessions sessions;

    public RemoteFiles(SshSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * The regular files of {@code remoteDir} (relative to the remote home, or absolute), by name;
     * empty when the folder does not exist (yet).
     */
    public List<RemoteFile> list(String alias, String remoteDir) throws ClusterException {
        try (SftpClient sftp = open(alias)) {
            List<RemoteFile> out = new ArrayList<>();
            for (SftpClient.DirEntry e : entries(sftp, remoteDir)) {
                SftpClient.Attributes a = e.getAttributes();
                if (a.isRegularFile()) {
                    long mtime = a.getModifyTime() == null ? 0 : a.getModifyTime().toMillis() / 1000;
                    out.add(new RemoteFile(e.getFilename(), a.getSize(), mtime));
                }
            }
            out.sort(java.util.Comparator.comparing(RemoteFile::name));
            return out;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return List.of(); // no task has written its results yet
            }
            throw failure(alias, "list " + remoteDir, e);
        } catch (IOException e) {
            throw failure(alias, "list " + remoteDir, e);
        }
    }

    private static List<SftpClient.DirEntry> entries(SftpClient sftp, String dir) throws IOException {
        try {
            List<SftpClient.DirEntry> all = new ArrayList<>();
            sftp.readDir(dir).forEach(all::add);
            return all;
        } catch (java.io.UncheckedIOException e) { // MINA's directory iterator wraps the SFTP status
            throw e.getCause();
        }
    }

    /**
     * Fetches the named files of {@code remoteDir} into {@code localDir}, skipping names already present
     * there. The caller asks only for files that are complete (finished tasks) and not fetched before;
     * the answer says which arrived and which do not exist remotely.
     */
    public Fetch fetch(String alias, String remoteDir, Collection<String> names, Path localDir) throws ClusterException {
        for (String name : names) {
            if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("not a plain file name: '" + name + "'");
            }
        }
        List<String> fetched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> present = new ArrayList<>();
        try {
            Files.createDirectories(localDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create local folder " + localDir + ": " + e.getMessage(), e);
        }
        try (SftpClient sftp = open(alias)) {
            String dir = remoteDir.endsWith("/") ? remoteDir : remoteDir + "/";
            for (String name : names) {
                Path target = localDir.resolve(name);
                if (Files.exists(target)) {
                    present.add(name);
                    continue;
                }
                if (download(sftp, dir + name, localDir, target)) {
                    fetched.add(name);
                } else {
                    missing.add(name);
                }
            }
            return new Fetch(fetched, missing, present);
        } catch (IOException e) {
            throw failure(alias, "fetch from " + remoteDir, e);
        }
    }

    private static boolean download(SftpClient sftp, String remote, Path localDir, Path target) throws IOException {
        Path part = localDir.resolve("." + target.getFileName() + ".part");
        try (InputStream in = sftp.read(remote); OutputStream out = Files.newOutputStream(part)) {
            in.transferTo(out);
        } catch (SftpException e) {
            Files.deleteIfExists(part);
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target);
        }
        return true;
    }

    private SftpClient open(String alias) throws ClusterException {
        ClientSession session = sessions.session(alias);
        try {
            return SftpClientFactory.instance().createSftpClient(session);
        } catch (IOException e) {
            throw failure(alias, "open sftp", e);
        }
    }

    private static ClusterException failure(String alias, String what, IOException e) {
        return new ClusterException(Kind.UNREACHABLE, "sftp on " + alias + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
