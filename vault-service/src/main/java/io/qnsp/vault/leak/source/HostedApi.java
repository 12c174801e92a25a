package io.qnsp.vault.leak.source;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET requests to a code host's REST API (GitHub's or GitLab's) under its configured base URL, with its token,
 * following pagination ({@code Link: <…>; rel="next"}, or GitLab's {@code X-Next-Page}) only to the same base URL,
 * so the token is never sent elsewhere. Failures become {@link SourceFailure}s that name the target and what was
 * asked, never the token or the answer's body.
 */
final class HostedApi {

    private static final Logger log = LoggerFactory.getLogger(HostedApi.class);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final int MAX_PAGES = 1000;
    private static final long MAX_JSON_BYTES = 64L * 1024 * 1024;

    private final String target;
    private final String baseUrl;
    private final @Nullable String tokenHeader;
    private final @Nullable String tokenValue;
    private final HttpClient http;
    private final Duration readTimeout;
    private final JsonMapper json;

    /**
     * @param tokenHeader the header carrying the token ({@code Authorization} with {@code Bearer …} for GitHub,
     *                    {@code PRIVATE-TOKEN} for GitLab); no header when the token is blank
     */
    HostedApi(String target, URI baseUrl, String tokenHeader, @Nullable String tokenValue, HttpClient http,
              Duration readTimeout, JsonMapper json) {
        this.target = target;
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.tokenHeader = tokenValue == null || tokenValue.isBlank() ? null : tokenHeader;
        this.tokenValue = tokenValue == null || tokenValue.isBlank() ? null : tokenValue;
        this.http = http;
        this.readTimeout = readTimeout;
        this.json = json;
    }

    String target() {
        return target;
    }

    /** The JSON answer to GET {@code path}; empty when the host answers 404. */
    Optional<JsonNode> get(String path, String what) {
        HttpResponse<InputStream> response = send(baseUrl + path, what);
        if (response.statusCode() == 404) {
            close(response);
            return Optional.empty();
        }
        return Optional.of(parse(response, what));
    }

    /** Every element of a paginated JSON array; empty when the host answers 404 to the first page. */
    Optional<List<JsonNode>> getAll(String path, String what) {
        List<JsonNode> all = new ArrayList<>();
        String url = baseUrl + path;
        for (int page = 0; url != null; page++) {
            if (page >= MAX_PAGES) {
                throw new SourceFailure(target + " answered more than " + MAX_PAGES + " pages for " + what);
            }
            HttpResponse<InputStream> response = send(url, what);
            if (response.statusCode() == 404 && page == 0) {
                close(response);
                return Optional.empty();
            }
            JsonNode body = parse(response, what);
            if (!body.isArray()) {
                throw new SourceFailure(target + " answered something other than a list for " + what);
            }
            body.forEach(all::add);
            url = next(response, url);
        }
        return Optional.of(all);
    }

    /** The raw bytes of GET {@code path}, or {@code null} when they are more than {@code maxBytes}. */
    byte @Nullable [] raw(String path, long maxBytes, String what) {
        HttpResponse<InputStream> response = send(baseUrl + path, what);
        if (response.statusCode() == 404) {
            close(response);
            throw new SourceFailure(target + " has no " + what);
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            return bytes.length > maxBytes ? null : bytes;
        } catch (IOException e) {
            throw new SourceFailure(target + " broke off its answer for " + what);
        }
    }

    private HttpResponse<InputStream> send(String url, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(readTimeout).GET()
                .header("Accept", "application/json").header("User-Agent", "qnsp-vault-leak-detection");
        if (tokenHeader != null) {
            request.header(tokenHeader, tokenHeader.equals("Authorization") ? "Bearer " + tokenValue : tokenValue);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            log.warn("{} could not be reached for {}: {}", target, what, e.getClass().getSimpleName());
            throw new SourceFailure(target + " could not be reached for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailure("the scan was interrupted while asking " + target + " for " + what);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            close(response);
            throw new SourceFailure(target + " refused the request for " + what + " (" + status + "): check qnsp.vault.leak."
                    + target + ".token and its permissions");
        }
        if (status == 429) {
            close(response);
            throw new SourceFailure(target + " rate-limited the scan while asking for " + what);
        }
        if (status != 404 && (status < 200 || status >= 300)) {
            close(response);
            throw new SourceFailure(target + " answered " + status + " for " + what);
        }
        return response;
    }

    private JsonNode parse(HttpResponse<InputStream> response, String what) {
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes((int) MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new SourceFailure(target + " answered too much for " + what);
            }
            return json.readTree(bytes);
        } catch (IOException | JacksonException e) {
            throw new SourceFailure(target + " answered something other than JSON for " + what);
        }
    }

    private @Nullable String next(HttpResponse<?> response, String current) {
        String next = null;
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT_LINK.matcher(link);
            if (matcher.find()) {
                next = matcher.group(1);
            }
        }
        if (next == null) {
            String page = response.headers().firstValue("X-Next-Page").orElse("").strip();
            if (page.matches("\\d{1,6}")) {
                next = current.matches(".*[?&]page=\\d+.*") ? current.replaceAll("([?&])page=\\d+", "$1page=" + page)
                        : current + (current.contains("?") ? "&" : "?") + "page=" + page;
            }
        }
        if (next != null && !next.startsWith(baseUrl + "/")) {
            throw new SourceFailure(target + " pointed its next page outside its API base URL; not followed");
        }
        return next;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
