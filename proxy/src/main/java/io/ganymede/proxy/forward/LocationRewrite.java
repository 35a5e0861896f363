package io.ganymede.proxy.forward;

import io.ganymede.proxy.routing.Route;
import io.ganymede.proxy.routing.Target;

/**
 * A target served with its prefix stripped believes it lives at "/", so its redirects point at
 * "/..."; this puts them back under the route's prefix. Redirects elsewhere are left alone.
 */
final class LocationRewrite {

    private LocationRewrite() {
    }

    /**
     * @param location     the target's Location header
     * @param publicHost   the Host the client used (targets often build absolute URLs from it)
     */
    static String underPrefix(String location, Route route, String publicHost) {
        String prefix = route.path();
        if (prefix.equals("/")) {
            return location;
        }
        String path;
        if (location.startsWith("/") && !location.startsWith("//")) {
            path = location;
        } else {
            int schemeEnd = location.indexOf("://");
            if (schemeEnd <= 0) {
                return location;
            }
            int authorityStart = schemeEnd + 3;
            int authorityEnd = authorityStart;
            while (authorityEnd < location.length() && "/?#".indexOf(location.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            String authority = location.substring(authorityStart, authorityEnd);
            if (!isTarget(authority, route.target()) && !authority.equalsIgnoreCase(publicHost)) {
                return location;
            }
            path = authorityEnd == location.length() ? "/" : location.substring(authorityEnd);
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
        }
        if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + "?")) {
            return path;
        }
        return prefix + path;
    }

    private static boolean isTarget(String authority, Target target) {
        String origin = target.origin();
        String hostPort = origin.substring(origin.indexOf("://") + 3);
        int defaultPort = target.ssl() ? 443 : 80;
        return authority.equalsIgnoreCase(hostPort)
                || (target.port() == defaultPort && authority.equalsIgnoreCase(hostPort.substring(0, hostPort.lastIndexOf(':'))));
    }
}
