package io.qnsp.vault.leak.source;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where a git repository to scan is, and how it is read. A local repository (an absolute path, or a
 * {@code file://} URL) is read in place, and only under one of the configured local roots (symbolic links are
 * resolved before the check, at submission and again when the scan runs). A remote repository is an
 * {@code http://} or {@code https://} URL without credentials, cloned (bare, every branch) into a temporary
 * directory that is deleted afterwards; remote clones can be switched off, or limited to a list of hosts. No other
 * scheme (ssh, git) is accepted.
 */
public final class GitLocations {

    private static final Logger log = LoggerFactory.getLogger(GitLocations.class);

    /** A repository to scan. @param label how the scan names it: the text it was given as */
    public sealed interface Location permits Local, Remote {
        String label();
    }

    public record Local(Path path, String label) implements Location {
    }

    public record Remote(URI uri, String label) implements Location {
    }

    /** What may be read. @param cloneHosts the hosts remote clones may come from; any when empty */
    public record Access(List<Path> localRoots, boolean remoteClones, List<String> cloneHosts) {
    }

    /** A location that is refused, with the reason for the field that gave it. */
    public static final class Refused extends Exception {

        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private GitLocations() {
    }

    /** Whether the text names a git repository by URL or path (rather than a hosted repository by name). */
    public static boolean isGitLocation(String text) {
        return text.startsWith("/") || text.matches("(?i)^[a-z][a-z0-9+.-]*://.*") || text.matches("^[^/]+@[^/]+:.*");
    }

    public static Location parse(String text, Access access) throws Refused {
        if (text.startsWith("/")) {
            return local(Path.of(text), text, access);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new Refused("is not a valid URL or absolute path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw new Refused("must be a file:// URL with an absolute path");
                }
                return local(Path.of(uri.getPath()), text, access);
            }
            case "http", "https" -> {
                if (!access.remoteClones()) {
                    throw new Refused("is a remote repository, and remote clones are switched off "
                            + "(qnsp.vault.leak.git.remote-clones)");
                }
                if (uri.getRawUserInfo() != null) {
                    throw new Refused("must not carry credentials; only repositories that can be cloned without "
                            + "them are scanned by URL");
                }
                if (uri.getHost() == null) {
                    throw new Refused("must name a host");
                }
                if (!access.cloneHosts().isEmpty() && access.cloneHosts().stream()
                        .noneMatch(host -> host.equalsIgnoreCase(uri.getHost()))) {
                    throw new Refused("is on a host remote clones may not come from; allowed: "
                            + String.join(", ", access.cloneHosts()));
                }
                return new Remote(uri, text);
            }
            default -> throw new Refused("must be an http(s):// URL, a file:// URL or an absolute path; "
                    + (text.matches("^[^/]+@[^/]+:.*") || scheme.equals("ssh") || scheme.equals("git")
                    ? "ssh and git:// are not supported" : "the scheme is not supported"));
        }
    }

    private static Local local(Path path, String label, Access access) throws Refused {
        Path normalized = path.toAbsolutePath().normalize();
        if (access.localRoots().stream().noneMatch(root -> normalized.startsWith(root.toAbsolutePath().normalize()))) {
            throw new Refused("is a local path outside the directories local repositories may be read from "
                    + "(qnsp.vault.leak.git.local-roots)");
        }
        return new Local(normalized, label);
    }

    /** Reads the repository's history into the visitor. @throws SourceFailure when it cannot be read */
    public static GitHistory.Counts read(Location location, Access access, Path workDirectory,
                                         Duration cloneTimeout, long maxFileBytes, SourceVisitor visitor) {
        return switch (location) {
            case Local local -> readLocal(local, access, maxFileBytes, visitor);
            case Remote remote -> readRemote(remote, workDirectory, cloneTimeout, maxFileBytes, visitor);
        };
    }

    private static GitHistory.Counts readLocal(Local local, Access access, long maxFileBytes, SourceVisitor visitor) {
        Path real;
        try {
            real = local.path().toRealPath();
        } catch (IOException e) {
            throw new SourceFailure("git repository " + local.label() + " does not exist");
        }
        boolean allowed = access.localRoots().stream().anyMatch(root -> {
            try {
                return real.startsWith(root.toRealPath());
            } catch (IOException e) {
                return false;
            }
        });
        if (!allowed) {
            throw new SourceFailure("git repository " + local.label()
                    + " resolves outside the directories local repositories may be read from");
        }
        try (Git git = Git.open(real.toFile())) {
            return GitHistory.read(git.getRepository(), local.label(), maxFileBytes, visitor);
        } catch (RepositoryNotFoundException e) {
            throw new SourceFailure("git repository " + local.label() + " is not a git repository");
        } catch (IOException e) {
            log.warn("Could not read git repository {}: {}", local.label(), e.getClass().getSimpleName());
            throw new SourceFailure("git repository " + local.label() + " could not be read");
        }
    }

    private static GitHistory.Counts readRemote(Remote remote, Path workDirectory, Duration cloneTimeout,
                                                long maxFileBytes, SourceVisitor visitor) {
        Path directory;
        try {
            Files.createDirectories(workDirectory);
            directory = Files.createTempDirectory(workDirectory, "leak-scan-");
        } catch (IOException e) {
            throw new SourceFailure("no room to clone git repository " + remote.label());
        }
        try (Git git = Git.cloneRepository().setURI(remote.uri().toString()).setDirectory(directory.toFile())
                .setBare(true).setCloneAllBranches(true).setTimeout((int) Math.max(1, cloneTimeout.toSeconds()))
                .call()) {
            return GitHistory.read(git.getRepository(), remote.label(), maxFileBytes, visitor);
        } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            log.warn("Could not clone git repository {}: {}", remote.label(), e.getClass().getSimpleName());
            throw new SourceFailure("git repository " + remote.label() + " could not be cloned: it does not exist, "
                    + "needs credentials, or its server could not be reached");
        } catch (IOException e) {
            log.warn("Could not read the clone of git repository {}: {}", remote.label(),
                    e.getClass().getSimpleName());
            throw new SourceFailure("git repository " + remote.label() + " could not be read after cloning");
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete the clone in {}: {}", directory, e.getClass().getSimpleName());
        }
    }
}
