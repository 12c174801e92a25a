package io.qnsp.vault.leak.source;

import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** The code hosts whose APIs a scan reads, each at its configured base URL with its token. */
public final class CodeHosts {

    private CodeHosts() {
    }

    public static HostedRepositories github(URI apiUrl, String token, HttpClient http, Duration readTimeout,
                                            JsonMapper json) {
        return new GitHubRepositories(new HostedApi("github", apiUrl, "Authorization", token, http, readTimeout,
                json));
    }

    public static HostedRepositories gitlab(URI apiUrl, String token, HttpClient http, Duration readTimeout,
                                            JsonMapper json) {
        return new GitLabRepositories(new HostedApi("gitlab", apiUrl, "PRIVATE-TOKEN", token, http, readTimeout,
                json));
    }
}
