package io.qnsp.auth.risk;

import java.net.Inet6Address;
import java.util.regex.Pattern;

/** Checks that a string is an IP address literal, without ever resolving a host name. */
final class NetworkAddresses {

    // four decimal octets only: the legacy short forms InetAddress accepts ("10.1") are not what clients send
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private NetworkAddresses() {
    }

    static boolean isLiteral(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        if (IPV4.matcher(address).matches()) {
            return true;
        }
        if (address.indexOf(':') < 0) {
            return false;
        }
        try {
            Inet6Address.ofLiteral(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
