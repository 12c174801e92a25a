package io.qnsp.vault.leak.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a hosted repository through its API: the tree at the tip of every branch, each distinct blob once (the
 * first branch, in the host's order, that has it is the one named), whole, with its line numbers. Files over the
 * size limit and binary files are skipped. The history behind the tips is not read this way: scan the repository's
 * clone URL with target git for that.
 */
public final class HostedContents {

    private HostedContents() {
    }

    public record Counts(int branches, int files, int skippedFiles) {
    }

    public static Counts read(HostedRepositories host, HostedRepositories.Repository repository, long maxFileBytes,
                              SourceVisitor visitor) {
        record Pending(HostedRepositories.Branch branch, HostedRepositories.Blob blob) {
        }
        List<HostedRepositories.Branch> branches = host.branches(repository);
        Set<String> seen = new HashSet<>();
        List<Pending> pending = new ArrayList<>();
        for (HostedRepositories.Branch branch : branches) {
            for (HostedRepositories.Blob blob : host.tree(repository, branch.commitId())) {
                if (seen.add(blob.blobId())) {
                    pending.add(new Pending(branch, blob));
                }
            }
        }
        int files = 0;
        int skipped = 0;
        for (int i = 0; i < pending.size(); i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new SourceFailure("the scan was interrupted while reading " + repository.fullName());
            }
            Pending next = pending.get(i);
            byte[] content = host.content(repository, next.blob(), maxFileBytes);
            if (content == null || Texts.isBinary(content)) {
                skipped++;
            } else {
                files++;
                visitor.text(new SourceText(host.target(), repository.fullName(), next.blob().path(),
                        next.branch().commitId(), next.branch().name(), Texts.lines(content)));
            }
            visitor.progress((i + 1) / (double) pending.size());
        }
        if (pending.isEmpty()) {
            visitor.progress(1);
        }
        return new Counts(branches.size(), files, skipped);
    }
}
