package io.qnsp.vault.leak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.test.infra.StubHttpServers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * GitHub's and GitLab's REST APIs as leak detection reads them, on a loopback stub: GitHub under {@code /github}
 * (organization {@code acme} over two pages, repository {@code acme/app} with branches main and dev, an organization
 * that refuses the token), GitLab under {@code /gitlab/api/v4} (group {@code platform} with project
 * {@code platform/api}, its tree over two pages). Each file's content is set by the test. Both check their token.
 */
final class FakeCodeHosts {

    static final String GITHUB_TOKEN = "gh-test-token";
    static final String GITLAB_TOKEN = "gl-test-token";

    private final HttpServer server;
    private final Map<String, String> blobs = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    FakeCodeHosts() {
        server = StubHttpServers.start(0, http -> {
            http.createContext("/github/", this::github);
            http.createContext("/gitlab/api/v4/", this::gitlab);
        });
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Sets the content of the blob with the id. */
    void blob(String blobId, String content) {
        blobs.put(blobId, content);
    }

    private void github(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring("/github".length());
        String query = exchange.getRequestURI().getRawQuery();
        requests.add("github " + path);
        if (!("Bearer " + GITHUB_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            StubHttpServers.json(exchange, 401, "{\"message\":\"Bad credentials\"}");
            return;
        }
        switch (path) {
            case "/orgs/acme/repos" -> {
                if (query != null && query.contains("page=2")) {
                    StubHttpServers.json(exchange, 200, "[{\"full_name\":\"acme/infra\"}]");
                } else {
                    exchange.getResponseHeaders().add("Link", "<" + url() + "/github/orgs/acme/repos?per_page=100"
                            + "&type=all&page=2>; rel=\"next\", <" + url() + "/github/orgs/acme/repos?page=2>; "
                            + "rel=\"last\"");
                    StubHttpServers.json(exchange, 200, "[{\"full_name\":\"acme/app\"}]");
                }
            }
            case "/orgs/locked/repos" -> StubHttpServers.json(exchange, 403, "{\"message\":\"Forbidden\"}");
            case "/repos/acme/app" -> StubHttpServers.json(exchange, 200, "{\"full_name\":\"acme/app\"}");
            case "/repos/acme/app/branches" -> StubHttpServers.json(exchange, 200,
                    "[{\"name\":\"main\",\"commit\":{\"sha\":\"a1a1\"}},{\"name\":\"dev\",\"commit\":{\"sha\":\"d2d2\"}}]");
            case "/repos/acme/app/git/trees/a1a1" -> StubHttpServers.json(exchange, 200, tree(
                    Map.of("README.md", "gh-readme", "config/prod.env", "gh-env")));
            case "/repos/acme/app/git/trees/d2d2" -> StubHttpServers.json(exchange, 200, tree(
                    Map.of("README.md", "gh-readme", "config/prod.env", "gh-env", "deploy/key.pem", "gh-key")));
            case "/repos/acme/infra/branches" -> StubHttpServers.json(exchange, 200,
                    "[{\"name\":\"main\",\"commit\":{\"sha\":\"c3c3\"}}]");
            case "/repos/acme/infra/git/trees/c3c3" -> StubHttpServers.json(exchange, 200, tree(
                    Map.of("src/Reconciliation.java", "gh-code")));
            default -> {
                if (path.matches("/repos/acme/(app|infra)/git/blobs/[\\w-]+")
                        && blobs.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
                    String content = blobs.get(path.substring(path.lastIndexOf('/') + 1));
                    StubHttpServers.json(exchange, 200, "{\"encoding\":\"base64\",\"content\":\""
                            + Base64.getMimeEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))
                            .replace("\r\n", "\\n") + "\"}");
                } else {
                    StubHttpServers.json(exchange, 404, "{\"message\":\"Not Found\"}");
                }
            }
        }
    }

    private static String tree(Map<String, String> files) {
        return "{\"truncated\":false,\"tree\":[{\"path\":\"config\",\"type\":\"tree\",\"sha\":\"t0\"},"
                + files.entrySet().stream().map(f -> "{\"path\":\"" + f.getKey() + "\",\"mode\":\"100644\","
                + "\"type\":\"blob\",\"sha\":\"" + f.getValue() + "\",\"size\":100}")
                .collect(Collectors.joining(",")) + "]}";
    }

    private void gitlab(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring("/gitlab/api/v4".length());
        String query = exchange.getRequestURI().getRawQuery();
        requests.add("gitlab " + path);
        if (!GITLAB_TOKEN.equals(exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN"))) {
            StubHttpServers.json(exchange, 401, "{\"message\":\"401 Unauthorized\"}");
            return;
        }
        switch (path) {
            case "/groups/platform/projects" -> StubHttpServers.json(exchange, 200,
                    "[{\"id\":7,\"path_with_namespace\":\"platform/api\"}]");
            case "/projects/platform%2Fapi" -> StubHttpServers.json(exchange, 200,
                    "{\"id\":7,\"path_with_namespace\":\"platform/api\"}");
            case "/projects/7/repository/branches" -> StubHttpServers.json(exchange, 200,
                    "[{\"name\":\"main\",\"commit\":{\"id\":\"g1g1\"}}]");
            case "/projects/7/repository/tree" -> {
                if (query != null && query.contains("page=2")) {
                    StubHttpServers.json(exchange, 200, "[{\"id\":\"gl-app\",\"path\":\"src/app.py\",\"type\":\"blob\"},"
                            + "{\"id\":\"gl-docs\",\"path\":\"docs\",\"type\":\"tree\"}]");
                } else {
                    exchange.getResponseHeaders().add("X-Next-Page", "2");
                    StubHttpServers.json(exchange, 200,
                            "[{\"id\":\"gl-ci\",\"path\":\".gitlab-ci.yml\",\"type\":\"blob\"}]");
                }
            }
            default -> {
                String blobId = path.replaceFirst("^/projects/7/repository/blobs/([\\w-]+)/raw$", "$1");
                if (!blobId.equals(path) && blobs.containsKey(blobId)) {
                    byte[] bytes = blobs.get(blobId).getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                } else {
                    StubHttpServers.json(exchange, 404, "{\"message\":\"404 Not Found\"}");
                }
            }
        }
    }
}
