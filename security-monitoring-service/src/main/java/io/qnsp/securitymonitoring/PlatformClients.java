package io.qnsp.securitymonitoring;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.net.http.HttpClient;

/** HTTP clients for the platform's services (and webhook receivers), with the configured timeouts. */
@Component
public class PlatformClients {

    private final MonitoringSettings settings;
    private final JdkClientHttpRequestFactory requests;

    PlatformClients(MonitoringSettings settings) {
        this.settings = settings;
        this.requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build());
        requests.setReadTimeout(settings.readTimeout());
    }

    public RestClient auth() {
        return to(settings.authUrl());
    }

    public RestClient kms() {
        return to(settings.kmsUrl());
    }

    public RestClient vault() {
        return to(settings.vaultUrl());
    }

    public RestClient audit() {
        return to(settings.auditUrl());
    }

    public RestClient gateway() {
        return to(settings.gatewayUrl());
    }

    /** A client without a base URL, for absolute URLs (webhook receivers). */
    public RestClient anywhere() {
        return RestClient.builder().requestFactory(requests).build();
    }

    private RestClient to(URI base) {
        return RestClient.builder().baseUrl(base.toString()).requestFactory(requests).build();
    }
}
