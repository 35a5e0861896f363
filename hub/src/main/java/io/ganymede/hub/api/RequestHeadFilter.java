package io.ganymede.hub.api;

import io.ganymede.hub.config.HubConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the head of every request before anything reads its body, and refuses what no endpoint of
 * the hub can serve, as a 4xx in the API's shape rather than a hang or a 500 somewhere deeper:
 *
 * <ul>
 *   <li>a {@code Transfer-Encoding} whose last coding is not {@code chunked}: the body's end cannot
 *       be known (RFC 9112 6.3), so 400 and the connection closes;
 *   <li>a declared body larger than {@code quarkus.http.limits.max-body-size}: 413;
 *   <li>a {@code Content-Type} that cannot be parsed (400), one naming a charset Java does not have
 *       (400), or {@code multipart/*}, which no endpoint reads (415).
 * </ul>
 *
 * An {@code Accept} header that is empty or cannot be parsed is dropped, as if the client had sent
 * none: JupyterHub does not negotiate on it either.
 */
public class RequestHeadFilter {

    private static final Logger LOG = Logger.getLogger(RequestHeadFilter.class);
    /** After {@link VersionHeaderFilter} (100), so that refusals carry the version header too. */
    static final int PRIORITY = 90;

    void register(@Observes Filters filters, HubConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        long maxBodyBytes = maxBody.asLongValue();
        String version = config.jupyterhubVersion();
        filters.register(rc -> check(rc, maxBodyBytes, version), PRIORITY);
    }

    /** Why a request is answered before it is read. */
    private record Refusal(int status, String message) {}

    private static void check(RoutingContext rc, long maxBodyBytes, String version) {
        MultiMap headers = rc.request().headers();
        Refusal refusal = framing(headers, maxBodyBytes);
        if (refusal == null) {
            refusal = contentType(headers);
        }
        if (refusal != null) {
            LOG.debugf("%s %s refused: %s", rc.request().method(), rc.request().path(), refusal.message());
            HttpErrors.answer(rc, refusal.status(), refusal.message(), true, version);
            return;
        }
        dropUnreadableAccept(headers);
        rc.next();
    }

    /** Why the body's framing is refused, or null. */
    private static Refusal framing(MultiMap headers, long maxBodyBytes) {
        List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            String all = String.join(",", codings);
            String last = all.substring(all.lastIndexOf(',') + 1).trim();
            if (!last.equalsIgnoreCase("chunked")) {
                return new Refusal(400, "Transfer-Encoding must end with chunked, not '" + all
                        + "': the end of the body cannot be known");
            }
        }
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (length != null && codings.isEmpty()) {
            try {
                long declared = Long.parseLong(length.trim());
                if (declared > maxBodyBytes) {
                    return new Refusal(413, "Request body of " + declared + " bytes is larger than the "
                            + maxBodyBytes + " the hub accepts");
                }
            } catch (NumberFormatException e) {
                return new Refusal(400, "Invalid Content-Length: " + length);
            }
        }
        return null;
    }

    /** Why the body's media type is refused, or null. */
    private static Refusal contentType(MultiMap headers) {
        String value = headers.get(HttpHeaders.CONTENT_TYPE);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            headers.remove(HttpHeaders.CONTENT_TYPE);
            return null;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(value);
        } catch (IllegalArgumentException e) {
            return new Refusal(400, "Invalid Content-Type: " + value);
        }
        if (type.getType().toLowerCase(Locale.ROOT).equals("multipart")) {
            return new Refusal(415, "Unsupported Media Type: " + type.getType() + "/" + type.getSubtype()
                    + "; the hub reads JSON, and forms as application/x-www-form-urlencoded");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null) {
            boolean known;
            try {
                known = Charset.isSupported(charset.trim());
            } catch (IllegalCharsetNameException e) {
                known = false;
            }
            if (!known) {
                return new Refusal(400, "Unsupported charset in Content-Type: " + charset);
            }
        }
        return null;
    }

    private static void dropUnreadableAccept(MultiMap headers) {
        List<String> accept = headers.getAll(HttpHeaders.ACCEPT);
        if (accept.isEmpty()) {
            return;
        }
        for (String value : accept) {
            if (!readable(value)) {
                headers.remove(HttpHeaders.ACCEPT);
                return;
            }
        }
    }

    private static boolean readable(String accept) {
        if (accept.isBlank()) {
            return false;
        }
        try {
            for (String type : accept.split(",")) {
                MediaType.valueOf(type.trim());
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
