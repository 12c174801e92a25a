package io.qnsp.vault.leak.source;

import java.util.List;

/** A code host's repositories as leak detection reads them through its REST API. */
public sealed interface HostedRepositories permits GitHubRepositories, GitLabRepositories {

    /** A repository at the host: its API id (GitLab's project id; the full name at GitHub) and full name. */
    record Repository(String id, String fullName) {
    }

    record Branch(String name, String commitId) {
    }

    /** A file of a tree: its path, blob id and size when the host tells it. */
    record Blob(String path, String blobId, long size) {
    }

    /** {@code github} or {@code gitlab}. */
    String target();

    /** Every repository of the organization (GitHub) or group with its subgroups (GitLab). */
    List<Repository> organization(String name);

    Repository repository(String fullName);

    List<Branch> branches(Repository repository);

    /** The files of the commit's tree, recursively. */
    List<Blob> tree(Repository repository, String commitId);

    /** The blob's content, or {@code null} when it is larger than {@code maxBytes}. */
    byte[] content(Repository repository, Blob blob, long maxBytes);
}
