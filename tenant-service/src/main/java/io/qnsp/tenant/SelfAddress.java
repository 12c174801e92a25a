package io.qnsp.tenant;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import java.net.URI;

/** This service's own base URL on the loopback interface, once its web server listens. */
@Component
public class SelfAddress implements ApplicationListener<WebServerInitializedEvent> {

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    public URI baseUri() {
        if (port < 0) {
            throw new IllegalStateException("the web server is not listening yet");
        }
        return URI.create("http://127.0.0.1:" + port);
    }
}
