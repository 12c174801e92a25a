package io.qnsp.gateway.dashboard;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Serves the web console: {@code /dashboard} redirects to {@code /dashboard/}, which is {@code index.html}, and every
 * other file comes from {@link DashboardFiles}. The files are public (the console signs in with the platform's own
 * credentials, which its scripts send to the APIs). Each answer carries a strict Content-Security-Policy (scripts,
 * styles and connections from this origin only, no inline script, no eval, no framing), {@code Cache-Control:
 * no-cache} with a strong ETag (a browser keeps the file and asks whether it changed: 304 when not), and no
 * referrer; the edge adds the rest of the security headers.
 */
final class DashboardRoutes {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private final DashboardFiles files;

    DashboardRoutes(DashboardFiles files) {
        this.files = files;
    }

    Mono<ServerResponse> redirect(ServerRequest request) {
        return ServerResponse.status(HttpStatus.FOUND).location(URI.create("/dashboard/")).build();
    }

    Mono<ServerResponse> index(ServerRequest request) {
        return serve(request, "index.html");
    }

    Mono<ServerResponse> file(ServerRequest request) {
        // a {*path} capture starts with the slash
        return serve(request, request.pathVariable("path").substring(1));
    }

    private Mono<ServerResponse> serve(ServerRequest request, String name) {
        DashboardFiles.File file = files.find(name).orElse(null);
        if (file == null) {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
        }
        List<String> offered = request.headers().header(HttpHeaders.IF_NONE_MATCH);
        boolean unchanged = offered.stream().flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip).anyMatch(tag -> tag.equals(file.etag()) || tag.equals("W/" + file.etag())
                        || tag.equals("*"));
        ServerResponse.BodyBuilder answer = ServerResponse.status(unchanged ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                .eTag(file.etag())
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Referrer-Policy", "no-referrer");
        if (unchanged) {
            return answer.build();
        }
        return answer.contentType(file.type()).contentLength(file.content().length).bodyValue(file.content());
    }
}
