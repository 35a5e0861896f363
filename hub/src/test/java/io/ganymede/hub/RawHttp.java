package io.ganymede.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send: malformed headers, framing
 * and bodies exactly as written. One request per connection; the answer is read until the server
 * closes or the body's Content-Length is in.
 */
public final class RawHttp {

    /** An answer as read; {@code status} is -1 when none came (the connection closed, or the time ran out). */
    public record Answer(int status, Map<String, String> headers, String body, boolean timedOut) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return (timedOut ? "(timed out) " : "") + status + " " + headers + " " + body;
        }
    }

    private RawHttp() {}

    /** Sends {@code head} (with its own CRLFs and blank line) and {@code body}, and reads the answer. */
    public static Answer send(int port, String head, byte[] body, int timeoutMillis) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // the server answered and closed before taking everything: read what it said
            }
            return read(socket.getInputStream(), head.startsWith("HEAD "));
        } catch (IOException e) {
            return new Answer(-1, Map.of(), String.valueOf(e), false);
        }
    }

    public static Answer send(int port, String head, String body, int timeoutMillis) {
        return send(port, head, body == null ? null : body.getBytes(StandardCharsets.UTF_8), timeoutMillis);
    }

    private static Answer read(InputStream in, boolean headOnly) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean timedOut = false;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
                if (complete(withoutInterim(got.toString(StandardCharsets.ISO_8859_1)), headOnly)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            timedOut = true;
        } catch (IOException reset) {
            // what was read before the reset still counts
        }
        byte[] bytes = got.toByteArray();
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        int interim = raw.length() - withoutInterim(raw).length();
        return parse(Arrays.copyOfRange(bytes, interim, bytes.length), timedOut);
    }

    /** The answer without the interim 1xx answers before it (100 Continue). */
    private static String withoutInterim(String raw) {
        while (raw.startsWith("HTTP/1.1 1") && raw.indexOf("\r\n\r\n") > 0) {
            raw = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
        return raw;
    }

    /** Whether the whole answer is in: its head for HEAD and event streams (which never end), else its Content-Length. */
    private static boolean complete(String raw, boolean headOnly) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = headers(raw.substring(0, end));
        if (headOnly || String.valueOf(headers.get("content-type")).startsWith("text/event-stream")) {
            return true;
        }
        String length = headers.get("content-length");
        try {
            return length != null && raw.length() - end - 4 >= Integer.parseInt(length.trim());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static Answer parse(byte[] bytes, boolean timedOut) {
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/") || end < 0) {
            return new Answer(-1, Map.of(), raw, timedOut);
        }
        String statusLine = raw.substring(0, raw.indexOf("\r\n"));
        String[] parts = statusLine.split(" ");
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            status = -1;
        }
        Map<String, String> headers = headers(raw.substring(0, end));
        // Chunk sizes count bytes: unframe with one char per byte, then decode.
        String body = new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.ISO_8859_1);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), timedOut);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.append(chunked, start, Math.min(chunked.length(), start + size));
            at = start + size + 2;
        }
        return body.toString();
    }
}
