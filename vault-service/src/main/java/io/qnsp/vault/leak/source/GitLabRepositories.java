package io.qnsp.vault.leak.source;

import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * GitLab's REST API (v4): {@code GET /groups/{id}/projects?include_subgroups=true}, {@code GET /projects/{id}},
 * {@code GET /projects/{id}/repository/branches}, {@code GET /projects/{id}/repository/tree?recursive=true} and
 * {@code GET /projects/{id}/repository/blobs/{sha}/raw}. A group or project is named by its full path or its
 * numeric id.
 */
public final class GitLabRepositories implements HostedRepositories {

    private final HostedApi api;

    GitLabRepositories(HostedApi api) {
        this.api = api;
    }

    @Override
    public String target() {
        return "gitlab";
    }

    @Override
    public List<Repository> organization(String name) {
        return api.getAll("/groups/" + encode(name) + "/projects?include_subgroups=true&per_page=100",
                        "the projects of group " + name)
                .orElseThrow(() -> new SourceFailure("gitlab has no group " + name + " (or the token cannot see it)"))
                .stream().map(p -> new Repository(p.path("id").asString(), p.path("path_with_namespace").asString()))
                .toList();
    }

    @Override
    public Repository repository(String fullName) {
        JsonNode project = api.get("/projects/" + encode(fullName), "project " + fullName)
                .orElseThrow(() -> new SourceFailure("gitlab has no project " + fullName
                        + " (or the token cannot see it)"));
        return new Repository(project.path("id").asString(), project.path("path_with_namespace").asString(fullName));
    }

    @Override
    public List<Branch> branches(Repository repository) {
        return api.getAll("/projects/" + encode(repository.id()) + "/repository/branches?per_page=100",
                        "the branches of " + repository.fullName())
                .orElseThrow(() -> new SourceFailure("gitlab has no project " + repository.fullName()))
                .stream().map(b -> new Branch(b.path("name").asString(), b.path("commit").path("id").asString()))
                .toList();
    }

    @Override
    public List<Blob> tree(Repository repository, String commitId) {
        return api.getAll("/projects/" + encode(repository.id()) + "/repository/tree?ref=" + encode(commitId)
                                + "&recursive=true&per_page=100",
                        "the tree of " + repository.fullName() + " at " + commitId)
                .orElseThrow(() -> new SourceFailure("gitlab has no tree for " + repository.fullName() + " at "
                        + commitId))
                .stream().filter(e -> "blob".equals(e.path("type").asString()))
                .map(e -> new Blob(e.path("path").asString(), e.path("id").asString(), -1)).toList();
    }

    @Override
    public byte[] content(Repository repository, Blob blob, long maxBytes) {
        return api.raw("/projects/" + encode(repository.id()) + "/repository/blobs/" + encode(blob.blobId()) + "/raw",
                maxBytes, "blob " + blob.blobId() + " of " + repository.fullName());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
