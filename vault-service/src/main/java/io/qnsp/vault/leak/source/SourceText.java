package io.qnsp.vault.leak.source;

import io.qnsp.vault.leak.detect.LineText;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * Lines of one file to scan and where they come from.
 *
 * @param target     {@code git}, {@code github} or {@code gitlab}
 * @param repository the repository as the scan names it (a URL or path for git, {@code owner/name} for the APIs)
 * @param path       the file's path in the repository
 * @param commitId   the commit that introduced these lines (git), or the branch tip they were read at (APIs)
 * @param branch     the branch they were read on (APIs); {@code null} for git history, where a commit may be on several
 */
public record SourceText(String target, String repository, String path, String commitId, @Nullable String branch,
                         List<LineText> lines) {

    @Override
    public String toString() {
        return "SourceText[" + target + " " + repository + " " + path + "@" + commitId + ", " + lines.size()
                + " lines]";
    }
}
