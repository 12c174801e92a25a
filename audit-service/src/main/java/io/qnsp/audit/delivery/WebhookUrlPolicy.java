package io.qnsp.audit.delivery;

import io.qnsp.common.error.InvalidField;
import org.springframework.stereotype.Component;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs webhooks may target: absolute {@code http}/{@code https} URLs without user info, whose host resolves
 * only to public addresses. Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (including cloud
 * metadata at 169.254.169.254), carrier-grade NAT (100.64/10), unspecified and multicast addresses are refused
 * unless {@code qnsp.audit.deliveries.allow-private-targets} is on. Checked when a webhook is saved and again
 * before every send, so a name that later resolves inward is caught.
 */
@Component
public class WebhookUrlPolicy {

    private static final int MAX_URL_LENGTH = 2048;

    private final boolean allowPrivateTargets;

    WebhookUrlPolicy(DeliverySettings settings) {
        this.allowPrivateTargets = settings.allowPrivateTargets();
    }

    /** The URL, or an {@link InvalidField} naming {@code field} with the reason. */
    public URI validate(String field, String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidField(field, "is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new InvalidField(field, "must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidField(field, "must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new InvalidField(field, "must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidField(field, "must not carry user credentials");
        }
        if (uri.getFragment() != null) {
            throw new InvalidField(field, "must not have a fragment");
        }
        refusal(uri).ifPresent(reason -> {
            throw new InvalidField(field, reason);
        });
        return uri;
    }

    /** Why the URL's host may not be targeted now, if it may not. */
    Optional<String> refusal(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("host does not resolve");
        }
        if (allowPrivateTargets) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("must not target a loopback, private, link-local or otherwise internal address");
            }
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            if (isIpv4Mapped(bytes)) {
                byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return isInternal(InetAddress.getByAddress(v4));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) || first >= 240;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
