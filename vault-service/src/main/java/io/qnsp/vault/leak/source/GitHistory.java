package io.qnsp.vault.leak.source;

import io.qnsp.vault.leak.detect.LineText;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a repository's history as leak detection needs it: every commit reachable from any branch (local and
 * remote-tracking), each once, oldest first; for each commit, the lines it added to each file against its first
 * parent (every line of every file for a root commit), with their line numbers in the new file. A merge commit
 * contributes only lines found in none of its parents' versions of the file (a conflict resolution), since what it
 * brings from its parents was read with the commits that wrote it. Files over the size limit, binary files and
 * submodules are skipped.
 */
public final class GitHistory {

    private GitHistory() {
    }

    /** What was read, for the scan's counts. */
    public record Counts(int commits, int files, int skippedFiles) {
    }

    public static Counts read(Repository repository, String label, long maxFileBytes, SourceVisitor visitor)
            throws IOException {
        int files = 0;
        int skipped = 0;
        try (RevWalk walk = new RevWalk(repository);
             ObjectReader reader = repository.newObjectReader();
             DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDiffComparator(RawTextComparator.DEFAULT);
            diff.setDetectRenames(false);
            boolean any = false;
            List<Ref> refs = new ArrayList<>(repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS));
            refs.addAll(repository.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES));
            for (Ref ref : refs) {
                if (ref.isSymbolic() || ref.getObjectId() == null) {
                    continue;
                }
                RevObject object = walk.peel(walk.parseAny(ref.getObjectId()));
                if (object instanceof RevCommit commit) {
                    walk.markStart(commit);
                    any = true;
                }
            }
            if (!any) {
                visitor.progress(1);
                return new Counts(0, 0, 0);
            }
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.REVERSE, true);
            List<RevCommit> commits = new ArrayList<>();
            walk.forEach(commits::add);
            for (int i = 0; i < commits.size(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new SourceFailure("the scan was interrupted while reading " + label);
                }
                RevCommit commit = commits.get(i);
                List<RevCommit> parents = new ArrayList<>();
                for (RevCommit parent : commit.getParents()) {
                    parents.add(walk.parseCommit(parent));
                }
                List<DiffEntry> entries = diff.scan(parents.isEmpty() ? new EmptyTreeIterator()
                        : new CanonicalTreeParser(null, reader, parents.getFirst().getTree()),
                        new CanonicalTreeParser(null, reader, commit.getTree()));
                for (DiffEntry entry : entries) {
                    if (entry.getChangeType() == DiffEntry.ChangeType.DELETE
                            || (entry.getNewMode().getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                        continue;
                    }
                    ObjectLoader loader = reader.open(entry.getNewId().toObjectId());
                    if (loader.getSize() > maxFileBytes) {
                        skipped++;
                        continue;
                    }
                    byte[] content = loader.getCachedBytes((int) maxFileBytes);
                    if (RawText.isBinary(content)) {
                        skipped++;
                        continue;
                    }
                    List<LineText> added = addedLines(diff, entry, content, parents.isEmpty());
                    if (parents.size() > 1) {
                        added = withoutParentsLines(repository, reader, entry.getNewPath(),
                                parents.subList(1, parents.size()), added);
                    }
                    if (!added.isEmpty()) {
                        files++;
                        visitor.text(new SourceText("git", label, entry.getNewPath(), commit.getName(), null, added));
                    }
                }
                visitor.progress((i + 1) / (double) commits.size());
            }
            return new Counts(commits.size(), files, skipped);
        }
    }

    private static List<LineText> addedLines(DiffFormatter diff, DiffEntry entry, byte[] content, boolean root)
            throws IOException {
        RawText text = new RawText(content);
        List<LineText> lines = new ArrayList<>();
        if (root || entry.getChangeType() == DiffEntry.ChangeType.ADD) {
            for (int line = 0; line < text.size(); line++) {
                lines.add(new LineText(line + 1, Texts.stripCarriageReturn(text.getString(line))));
            }
            return lines;
        }
        for (Edit edit : diff.toFileHeader(entry).toEditList()) {
            for (int line = edit.getBeginB(); line < edit.getEndB(); line++) {
                lines.add(new LineText(line + 1, Texts.stripCarriageReturn(text.getString(line))));
            }
        }
        return lines;
    }

    private static List<LineText> withoutParentsLines(Repository repository, ObjectReader reader, String path,
                                                      List<RevCommit> otherParents, List<LineText> added)
            throws IOException {
        Set<String> known = new HashSet<>();
        for (RevCommit parent : otherParents) {
            try (TreeWalk tree = new TreeWalk(repository, reader)) {
                tree.addTree(parent.getTree());
                tree.setRecursive(true);
                tree.setFilter(PathFilter.create(path));
                while (tree.next()) {
                    if (tree.getPathString().equals(path)) {
                        ObjectId blob = tree.getObjectId(0);
                        byte[] content = reader.open(blob).getCachedBytes(Integer.MAX_VALUE);
                        RawText text = new RawText(content);
                        for (int line = 0; line < text.size(); line++) {
                            known.add(Texts.stripCarriageReturn(text.getString(line)));
                        }
                    }
                }
            }
        }
        return added.stream().filter(line -> !known.contains(line.text())).toList();
    }
}
