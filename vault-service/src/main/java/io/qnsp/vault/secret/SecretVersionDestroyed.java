package io.qnsp.vault.secret;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The version exists but was destroyed: its value is gone for good (410). */
class SecretVersionDestroyed extends ApiException {

    SecretVersionDestroyed(int version) {
        super(HttpStatus.GONE, "version_destroyed", "Version " + version + " was destroyed: its value is gone",
                Map.of("version", version, "state", VersionState.DESTROYED.apiName()));
    }
}
