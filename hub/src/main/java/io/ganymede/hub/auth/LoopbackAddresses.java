package io.ganymede.hub.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Tells whether a configured listen address keeps a server reachable from this machine only. */
final class LoopbackAddresses {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackAddresses() {}

    /**
     * True for {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}. Wildcards ({@code 0.0.0.0},
     * {@code ::}) and every other name are not: a host name is never resolved, because what it
     * resolves to can change after the check.
     */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            // An IP literal: getByName parses it without any lookup.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
