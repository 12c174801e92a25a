package io.qnsp.vault.leak.source;

import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * GitHub's REST API: {@code GET /orgs/{org}/repos}, {@code GET /repos/{owner}/{repo}},
 * {@code GET /repos/{owner}/{repo}/branches}, {@code GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1} and
 * {@code GET /repos/{owner}/{repo}/git/blobs/{sha}}.
 */
public final class GitHubRepositories implements HostedRepositories {

    private final HostedApi api;

    GitHubRepositories(HostedApi api) {
        this.api = api;
    }

    @Override
    public String target() {
        return "github";
    }

    @Override
    public List<Repository> organization(String name) {
        List<JsonNode> repositories = api.getAll("/orgs/" + encode(name) + "/repos?per_page=100&type=all",
                        "the repositories of organization " + name)
                .orElseThrow(() -> new SourceFailure("github has no organization " + name
                        + " (or the token cannot see it)"));
        return repositories.stream().map(r -> new Repository(r.path("full_name").asString(),
                r.path("full_name").asString())).toList();
    }

    @Override
    public Repository repository(String fullName) {
        JsonNode repository = api.get("/repos/" + path(fullName), "repository " + fullName)
                .orElseThrow(() -> new SourceFailure("github has no repository " + fullName
                        + " (or the token cannot see it)"));
        return new Repository(repository.path("full_name").asString(fullName),
                repository.path("full_name").asString(fullName));
    }

    @Override
    public List<Branch> branches(Repository repository) {
        return api.getAll("/repos/" + path(repository.id()) + "/branches?per_page=100",
                        "the branches of " + repository.fullName())
                .orElseThrow(() -> new SourceFailure("github has no repository " + repository.fullName()))
                .stream().map(b -> new Branch(b.path("name").asString(), b.path("commit").path("sha").asString()))
                .toList();
    }

    @Override
    public List<Blob> tree(Repository repository, String commitId) {
        JsonNode tree = api.get("/repos/" + path(repository.id()) + "/git/trees/" + encode(commitId) + "?recursive=1",
                        "the tree of " + repository.fullName() + " at " + commitId)
                .orElseThrow(() -> new SourceFailure("github has no tree for " + repository.fullName() + " at "
                        + commitId));
        if (tree.path("truncated").asBoolean(false)) {
            throw new SourceFailure("github truncated the tree of " + repository.fullName() + " at " + commitId
                    + " (too many files to list in one answer); scan its clone URL with target git instead");
        }
        List<Blob> blobs = new ArrayList<>();
        for (JsonNode entry : tree.path("tree")) {
            if ("blob".equals(entry.path("type").asString()) && !"160000".equals(entry.path("mode").asString())) {
                blobs.add(new Blob(entry.path("path").asString(), entry.path("sha").asString(),
                        entry.path("size").asLong(-1)));
            }
        }
        return blobs;
    }

    @Override
    public byte[] content(Repository repository, Blob blob, long maxBytes) {
        if (blob.size() > maxBytes) {
            return null;
        }
        JsonNode answer = api.get("/repos/" + path(repository.id()) + "/git/blobs/" + encode(blob.blobId()),
                        "blob " + blob.blobId() + " of " + repository.fullName())
                .orElseThrow(() -> new SourceFailure("github has no blob " + blob.blobId() + " in "
                        + repository.fullName()));
        if (!"base64".equals(answer.path("encoding").asString("base64"))) {
            throw new SourceFailure("github answered blob " + blob.blobId() + " of " + repository.fullName()
                    + " in an encoding other than base64");
        }
        byte[] content = Base64.getMimeDecoder().decode(answer.path("content").asString(""));
        return content.length > maxBytes ? null : content;
    }

    private static String path(String fullName) {
        int slash = fullName.indexOf('/');
        return encode(fullName.substring(0, slash)) + "/" + encode(fullName.substring(slash + 1));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
