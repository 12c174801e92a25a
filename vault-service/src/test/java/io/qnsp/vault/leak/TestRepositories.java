package io.qnsp.vault.leak;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Git repositories made by the tests with JGit, commit by commit. */
public final class TestRepositories implements AutoCloseable {

    private final Git git;
    private final Path directory;

    private TestRepositories(Git git, Path directory) {
        this.git = git;
        this.directory = directory;
    }

    /** A new repository in the directory, on branch main. */
    public static TestRepositories init(Path directory) {
        try {
            return new TestRepositories(Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call(),
                    directory);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Writes the files (path to content) and commits them on the current branch; the commit's id. */
    public String commit(String message, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = directory.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                git.add().addFilepattern(file.getKey()).call();
            }
            PersonIdent author = new PersonIdent("Test Author", "author@example.com");
            RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author).call();
            return commit.getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the branch at the current commit and checks it out. */
    public void branch(String name) {
        try {
            git.checkout().setCreateBranch(true).setName(name).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public void checkout(String name) {
        try {
            git.checkout().setName(name).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
