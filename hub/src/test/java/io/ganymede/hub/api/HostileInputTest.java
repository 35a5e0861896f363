package io.ganymede.hub.api;

import static io.ganymede.hub.Api.admin;
import static io.ganymede.hub.Api.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.hub.RawHttp;
import io.ganymede.hub.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A deterministic storm of hostile requests over every API family under {@code /hub/api} and the
 * pages: oversized and control-character names and values, wrong JSON types, deep nesting, invalid
 * UTF-8, bad percent-escapes, huge numbers, duplicate keys, bad media types and charsets, empty and
 * absurd headers, bogus scopes and filters. Whatever arrives, the hub answers below 500, in time,
 * with JupyterHub's JSON error under {@code /hub/api}, and what existed before the storm is still
 * there unchanged.
 *
 * <p>Requests broken at the HTTP level itself (a request-target that is not a URI, a request line or
 * header past the codec's limits, a malformed Content-Length) are refused by Vert.x's codec or
 * Quarkus' URI check before any route, with an empty 400, 414 or 431: they are held to no 5xx and
 * no hang only.
 *
 * <p>The storm is made harmless to what it must not change: it never sends a valid destructive
 * request to the users, groups, tokens and schedules made before it (changes to them carry bodies
 * that cannot parse), it never names them in member lists, and shutdown is only asked by callers
 * without the scope. Server starts only ever name missing users or profiles that do not exist.
 */
@QuarkusTest
class HostileInputTest {

    private static final long SEED = 20261206L;
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_REPORTED = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> USERS = List.of("alice@example.com", "o'brien+test@example.com", "bob.smith@example.co.uk");
    private static final List<String> GROUPS = List.of("fuzz-data-science", "fuzz-gpu-users");
    /** Someone the storm may do anything to, signed in on the pages. */
    private static final String STORM_USER = "storm.chaser@example.org";
    private static final String STORM_GROUP = "storm-chasers";

    /** One request: broken at the HTTP level ({@code checked} false) or a valid request with hostile content. */
    record Request(String family, String method, String target, List<String> headers, byte[] body, boolean chunked,
            boolean checked) {

        String head(int port, boolean withHost) {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            if (withHost && headers.stream().noneMatch(h -> h.regionMatches(true, 0, "Host:", 0, 5))) {
                head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            head.append("Connection: close\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            if (body != null && !chunked) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            return head.append("\r\n").toString();
        }

        byte[] wire() {
            if (!chunked) {
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] data = body == null ? new byte[0] : body;
            for (int at = 0; at < data.length; at += 7) {
                int n = Math.min(7, data.length - at);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(data, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String shown = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + ")" : target;
            return family + ": " + method + " " + shown + " " + headers.stream()
                    .map(h -> h.length() > 80 ? h.substring(0, 80) + "..." : h).toList()
                    + (body == null ? "" : " body " + preview(body));
        }
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        return text + (body.length > 120 ? "...(" + body.length + " bytes)" : "");
    }

    @Test
    void aStormOfHostileRequestsGetsClientErrorsAndChangesNothing() throws Exception {
        Map<String, String> secrets = fixtures();
        Map<String, Object> before = snapshot();

        String xsrf = given().get("/hub/login").then().statusCode(200).extract().cookie("_xsrf");
        String session = given().redirects().follow(false).cookie("_xsrf", xsrf)
                .formParams(Map.of("username", STORM_USER, "_xsrf", xsrf, "next", "/hub/home")).post("/hub/login")
                .then().statusCode(302).extract().cookie("jupyterhub-hub-login");
        admin().post("/hub/api/groups/" + STORM_GROUP);

        List<Request> storm = new Storm(new Random(SEED), secrets, session, xsrf).all();
        assertTrue(storm.size() >= 2000, "only " + storm.size() + " requests");

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        long started = System.nanoTime();
        for (Request request : storm) {
            Answer answer = RawHttp.send(RestAssured.port, request.head(RestAssured.port, true), request.wire(), TIMEOUT_MILLIS);
            statuses.merge(answer.status(), 1, Integer::sum);
            String problem = problem(request, answer);
            if (problem != null) {
                failures.add(problem + "\n    " + request + "\n    -> " + answer);
                if (failures.size() >= MAX_REPORTED) {
                    break;
                }
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("hostile input: %d requests in %d s, statuses %s%n", storm.size(), seconds, statuses);
        assertTrue(failures.isEmpty(), failures.size() + " of " + storm.size() + " requests broke a rule:\n"
                + String.join("\n", failures));

        Map<String, Object> after = snapshot();
        List<String> changed = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k)))
                .map(k -> k + ":\n    before " + before.get(k) + "\n    after  " + after.get(k)).toList();
        assertTrue(changed.isEmpty(), "what existed before the storm changed:\n" + String.join("\n", changed));
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            as(secret.getValue()).get("/hub/api/user").then().statusCode(200)
                    .body("name", org.hamcrest.Matchers.equalTo(secret.getKey()));
        }
    }

    /** What is wrong with an answer, or null. */
    private static String problem(Request request, Answer answer) {
        if (answer.timedOut()) {
            return "no answer within " + TIMEOUT_MILLIS + " ms";
        }
        if (answer.status() >= 500 && !(request.target().startsWith("/hub/error/" + answer.status()))) {
            // (The error page answers with the status it is asked to show, as JupyterHub's does.)
            return "a 5xx";
        }
        if (!request.checked()) {
            return null;
        }
        if (answer.status() < 0) {
            return "no answer";
        }
        boolean api = request.target().startsWith("/hub/api/") || request.target().equals("/hub/api")
                || request.target().startsWith("/hub/api?");
        if (!api || answer.status() < 400 || request.method().equals("HEAD")) {
            return null;
        }
        String type = answer.header("content-type");
        if (type == null || !type.startsWith("application/json")) {
            return "an API error that is not JSON";
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            if (body == null || !body.path("status").isInt() || body.get("status").asInt() != answer.status()
                    || !body.path("message").isTextual()) {
                return "an API error without JupyterHub's status and message";
            }
        } catch (JsonProcessingException e) {
            return "an API error whose body does not parse";
        }
        return null;
    }

    /** The users, groups, tokens and schedules the storm must leave alone; returns each user's token secret. */
    private static Map<String, String> fixtures() {
        admin().body(Map.of("usernames", USERS)).post("/hub/api/users").then().statusCode(201);
        admin().body(Map.of("users", USERS.subList(0, 2))).post("/hub/api/groups/" + GROUPS.get(0)).then().statusCode(201);
        admin().body(Map.of("users", USERS.subList(2, 3))).post("/hub/api/groups/" + GROUPS.get(1)).then().statusCode(201);
        admin().body(Map.of("team", "ds", "nested", Map.of("gpus", 2))).put("/hub/api/groups/" + GROUPS.get(0) + "/properties")
                .then().statusCode(200);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(USERS.get(0), admin().body(Map.of("note", "alice's pipeline", "expires_in", 86_400 * 30))
                .post("/hub/api/users/" + USERS.get(0) + "/tokens").then().statusCode(201).extract().path("token"));
        secrets.put(USERS.get(1), admin().body(Map.of("note", "narrow", "scopes",
                        List.of("read:users!user=" + USERS.get(1), "servers!user=" + USERS.get(1))))
                .post("/hub/api/users/" + USERS.get(1) + "/tokens").then().statusCode(201).extract().path("token"));
        secrets.put(USERS.get(2), admin().post("/hub/api/users/" + USERS.get(2) + "/tokens").then().statusCode(201)
                .extract().path("token"));
        admin().body(Map.of("cron", "45 8 * * MON-FRI", "time_zone", "Asia/Tokyo"))
                .post("/hub/api/users/" + USERS.get(0) + "/schedules").then().statusCode(201);
        admin().body(Map.of("cron", "0 9 * * *", "time_zone", "Europe/Paris"))
                .post("/hub/api/groups/" + GROUPS.get(0) + "/schedules").then().statusCode(201);
        return secrets;
    }

    /** Everything the fixtures are, without the times that reading them moves. */
    private static Map<String, Object> snapshot() {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String user : USERS) {
            state.put("user " + user, withoutActivity(admin().get("/hub/api/users/" + user).then().statusCode(200)
                    .extract().as(Map.class)));
            state.put("tokens " + user, withoutActivity(admin().get("/hub/api/users/" + user + "/tokens").then()
                    .statusCode(200).extract().as(Map.class)));
            state.put("schedules " + user, admin().get("/hub/api/users/" + user + "/schedules").then().statusCode(200)
                    .extract().as(List.class));
        }
        for (String group : GROUPS) {
            state.put("group " + group, admin().get("/hub/api/groups/" + group).then().statusCode(200).extract().as(Map.class));
            state.put("group schedules " + group, admin().get("/hub/api/groups/" + group + "/schedules").then()
                    .statusCode(200).extract().as(List.class));
        }
        return state;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutActivity(Object model) {
        if (model instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!"last_activity".equals(k)) {
                    copy.put((String) k, withoutActivity(v));
                }
            });
            return copy;
        }
        if (model instanceof List<?> list) {
            return list.stream().map(HostileInputTest::withoutActivity).toList();
        }
        return model;
    }

    /** Makes the requests, all from one seeded Random. */
    static final class Storm {

        private static final String ADMIN = "test-admin-token";
        private static final List<String> MUTATING = List.of("POST", "PUT", "PATCH", "DELETE");

        private final Random random;
        private final Map<String, String> secrets;
        private final String session;
        private final String xsrf;
        private final List<Request> requests = new ArrayList<>();

        Storm(Random random, Map<String, String> secrets, String session, String xsrf) {
            this.random = random;
            this.secrets = secrets;
            this.session = session;
            this.xsrf = xsrf;
        }

        List<Request> all() {
            repeat(160, this::usersList);
            repeat(260, this::userCrud);
            repeat(120, this::fixtureUsers);
            repeat(100, this::bulkUsers);
            repeat(260, this::tokens);
            repeat(160, this::servers);
            repeat(120, this::activity);
            repeat(140, () -> schedules(false));
            repeat(200, this::groups);
            repeat(120, () -> schedules(true));
            repeat(50, this::proxyApi);
            repeat(160, this::oauth);
            repeat(60, this::profilesAndCuller);
            repeat(40, this::notifications);
            repeat(40, this::shutdown);
            repeat(80, this::misc);
            repeat(200, this::pages);
            repeat(90, this::brokenHttp);
            bigBodies();
            return requests;
        }

        private void repeat(int times, Runnable make) {
            for (int i = 0; i < times; i++) {
                make.run();
            }
        }

        // ---- ingredients --------------------------------------------------------------------

        private <T> T pick(List<T> choices) {
            return choices.get(random.nextInt(choices.size()));
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        private static final List<String> REALISTIC = List.of("carol@example.com", "d'arcy+ci@example.org",
                "zo\u00eb.\u00e5ngstr\u00f6m@example.se", "Mixed.Case@Example.COM", "user+tag+more@sub.example.co.uk",
                "first.last@example.travel", "o'brien+test2@example.com", "x@y.z", "\u5c71\u7530@example.jp");

        /** A user, group or server name no one would choose; never one of the fixtures, however normalized. */
        String hostileName() {
            while (true) {
                String name = switch (random.nextInt(9)) {
                    case 0 -> pick(REALISTIC);
                    case 1 -> "x".repeat(pick(List.of(254, 255, 256, 300, 1024, 2500)));
                    case 2 -> pick(List.of("a\u0000b", "tab\tname@example.com", "new\nline", "\u007f", "bell\u0007",
                            "\u001b[31mred", "cr\rlf\n", "\u0000"));
                    case 3 -> pick(List.of("\u202eevil@example.com", "\ud83d\ude80@example.com", "\ufeffbom@example.com",
                            "\u0130stanbul@example.com", "\u00e9".repeat(120), "\ud800lone", "\ufffd", "\u200b"));
                    case 4 -> pick(List.of(".", "..", "a/b", "a\\b", "%", "%zz", "?", "#", ";", "a;b=c", " ", "  lead",
                            "trail  ", "", "~", "@", "a@b@c", "-", "_", "a b"));
                    case 5 -> pick(List.of("<script>alert(1)</script>", "\"quoted\"", "'", "{x}", "${jndi:ldap://x/a}",
                            "%s%n%x", "../../etc/passwd", "null", "undefined", "[object Object]", "\\u0000"));
                    case 6 -> "storm-" + random.nextInt(40) + "@example.com";
                    case 7 -> STORM_USER;
                    default -> pick(REALISTIC).toUpperCase(Locale.ROOT) + random.nextInt(9);
                };
                String normalized = name.strip().toLowerCase(Locale.ROOT);
                if (USERS.stream().noneMatch(normalized::equals) && GROUPS.stream().noneMatch(normalized::equals)) {
                    return name;
                }
            }
        }

        /** A path segment: a hostile name escaped, or escapes that decode to no valid UTF-8. */
        String segment() {
            if (chance(12)) {
                return pick(List.of("%FF", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%C0%AF", "%E2%82", "%00", "%2e%2e",
                        "%2F", "a%2Fb", "%25", "%252F"));
            }
            return escape(hostileName());
        }

        static String escape(String raw) {
            StringBuilder out = new StringBuilder();
            for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~@!$&'()*+,;=:".indexOf(c) >= 0) {
                    out.append(c);
                } else {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
            return out.toString();
        }

        static String query(String raw) {
            return URLEncoder.encode(raw, StandardCharsets.UTF_8);
        }

        String fixtureUser() {
            return escape(pick(USERS));
        }

        String fixtureGroup() {
            return escape(pick(GROUPS));
        }

        static String json(Object value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        String nested(int depth) {
            return "[".repeat(depth) + "]".repeat(depth);
        }

        /** A JSON value, as text, of any type or size a field should not get. */
        String value() {
            return switch (random.nextInt(8)) {
                case 0 -> json(hostileName());
                case 1 -> pick(List.of("0", "-1", "1e17", "1e14", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775809", "1e308", "1e400", "-0", "1.5", "99999999999999999999999999999", "0.0000001"));
                case 2 -> pick(List.of("true", "false", "null", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\"", "[null]", "[[]]"));
                case 3 -> nested(pick(List.of(10, 200, 1200)));
                case 4 -> json("s".repeat(pick(List.of(256, 1025, 70_000))));
                case 5 -> pick(List.of("\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u202e\"", "\"\\t\\n\\r\"",
                        "\"\\\\\"", "\"%00\"", "\"\\u00e9\"", "\"line\\u2028sep\""));
                case 6 -> "[" + json(hostileName()) + "," + pick(List.of("1", "null", "{}", "\"read:users!server=x\"")) + "]";
                default -> "{\"" + hostileName().replace("\\", "\\\\").replace("\"", "\\\"")
                        .chars().filter(c -> c >= 0x20).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        + "\": " + pick(List.of("1", "[]", "null")) + "}";
            };
        }

        /** Bodies that cannot be read as a JSON object, whatever the headers: safe on the fixtures. */
        static final List<String> BROKEN = List.of("{", "{\"a\":", "[", "nul", "{'a': 1}", "{\"a\" 1}", "{]", "[]",
                "\"text\"", "42", "true", "[1]", "{\"admin\": tru}", "{\"name\": \"x\",}", "{\"a\":1}}", "\u0000", "{\"a\":\u0001}",
                "{\"users\": [}", "[{\"a\": 1}]");

        byte[] brokenBody() {
            return pick(BROKEN).getBytes(StandardCharsets.UTF_8);
        }

        /** A JSON object with some of {@code fields} set to hostile values, or a raw hostile body. */
        byte[] body(String... fields) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                return brokenBody();
            }
            if (kind == 1) {
                return rawBody();
            }
            StringBuilder body = new StringBuilder("{");
            List<String> keys = new ArrayList<>(Arrays.asList(fields));
            if (chance(20)) {
                keys.add(pick(List.of("nmae", "", "\\u0000", "__proto__", "constructor", "x".repeat(300))));
            }
            if (chance(15) && !keys.isEmpty()) {
                keys.add(keys.get(0)); // a duplicate key
            }
            boolean first = true;
            for (String key : keys) {
                if (chance(30)) {
                    continue;
                }
                body.append(first ? "" : ",").append('"').append(key).append("\": ").append(value());
                first = false;
            }
            return body.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        byte[] rawBody() {
            return switch (random.nextInt(7)) {
                case 0 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
                case 1 -> new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};
                case 2 -> new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xa0, (byte) 0xa1};
                case 3 -> new byte[] {0, 0, 0, 0};
                case 4 -> "{\"a\": 1} // comment".getBytes(StandardCharsets.UTF_8);
                case 5 -> nested(5000).getBytes(StandardCharsets.US_ASCII);
                default -> (" \t\r\n").getBytes(StandardCharsets.US_ASCII);
            };
        }

        private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json",
                "application/json; charset=utf-8", "application/json; charset=nonsense", "application/json; charset=utf-16",
                "application/json; charset=\"\"", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "multipart/mixed", ";;;", "a/b/c", "application/json; q=", "*/*",
                "application/json;charset=\"UTF-8\"", "", "application/jupyterhub-pagination+json", "text/html; charset=ebcdic",
                "application/json; boundary=--", "application/x-www-form-urlencoded; charset=nonsense");

        private static final List<String> ACCEPTS = List.of("", ",", "*/*", "text/html", "application/jupyterhub-pagination+json",
                "application/json;q=0", "a/b;c", ";;;", "application/json,,", "text/event-stream", "*/*;q=abc",
                "application/json, text/html;q=0.9, */*;q=0.1", "x".repeat(5000), "image/png");

        /** Headers a client should not send, a few at a time; {@code auth} is the caller's Authorization or null. */
        List<String> headers(String auth, boolean body) {
            List<String> headers = new ArrayList<>();
            if (auth != null) {
                headers.add("Authorization: " + auth);
            }
            if (body || chance(10)) {
                int roll = random.nextInt(100);
                if (roll < 60) {
                    headers.add("Content-Type: application/json");
                } else if (roll < 95) {
                    headers.add("Content-Type: " + pick(CONTENT_TYPES));
                }
            }
            if (chance(20)) {
                headers.add("Accept: " + pick(ACCEPTS));
            }
            if (chance(12)) {
                headers.add(pick(List.of("Cookie: jupyterhub-hub-login=garbage", "Cookie: =;=;;", "Cookie: _xsrf=" + "x".repeat(3000),
                        "Cookie: jupyterhub-hub-login=" + session + "; jupyterhub-hub-login=other", "X-XSRFToken: nope",
                        "X-Forwarded-Proto: gopher", "X-Forwarded-For: ::::", "X-Forwarded-Host: evil.example.com",
                        "Expect: 100-continue", "Expect: something-else", "Range: bytes=99-1", "If-Modified-Since: yesterday",
                        "Content-Encoding: gzip", "Origin: null", "Referer: javascript:alert(1)", "X-" + "h".repeat(200) + ": v",
                        "Accept-Charset: nonsense", "Accept-Language: ;;;", "Forwarded: for=\"[::1\"", "User-Agent: ",
                        "Host: " + "h".repeat(2000) + ".example.com", "Host: [::1]:99999", "Host: hub.example.com:0")));
            }
            if (chance(3)) {
                for (int i = 0; i < 90; i++) {
                    headers.add("X-Many-" + i + ": " + i);
                }
            }
            return headers;
        }

        private static final List<String> GARBAGE_AUTH = List.of("token", "token ", "Bearer", "Basic !!!", "token garbage",
                "bearer  " + ADMIN, "TOKEN " + ADMIN, "token " + "t".repeat(4000), "Digest x", "token " + ADMIN + " extra",
                "Bearer " + ADMIN.toUpperCase(Locale.ROOT), "Basic " + java.util.Base64.getEncoder().encodeToString("a:b:c".getBytes()));

        /** Mostly the admin token, which reaches furthest; sometimes a user's, none, or garbage. */
        String auth() {
            int roll = random.nextInt(100);
            if (roll < 60) {
                return (chance(50) ? "token " : "Bearer ") + ADMIN;
            }
            if (roll < 75) {
                return "token " + secrets.get(pick(USERS));
            }
            if (roll < 85) {
                return null;
            }
            return pick(GARBAGE_AUTH);
        }

        String queryJunk() {
            if (!chance(40)) {
                return "";
            }
            return "?" + pick(List.of("offset=-1", "limit=99999999999999999999", "offset=1e3", "limit=abc", "state=" + query(hostileName()),
                    "state=ready&state=active", "name_filter=" + query(hostileName()), "token=garbage", "offset=&limit=",
                    "=&&=", "offset=9223372036854775807&limit=200", "%FF=%FE", "a=%00", "_xsrf=" + "x".repeat(500),
                    "limit=-0", "offset=2147483647"));
        }

        void add(String family, String method, String target, List<String> headers, byte[] body) {
            requests.add(request(family, method, target, headers, body, body != null && chance(8)));
        }

        /** A change to a fixture: its body never parses, so nothing can change. */
        void addToFixture(String family, String method, String target, String auth) {
            requests.add(request(family, method, target, headers(auth, true), brokenBody(), chance(8)));
        }

        /**
         * Headers are trimmed to stay within what the HTTP codec reads (8 KiB); a request line longer
         * than the codec's 4 KiB is held to the HTTP-level rules only, as the codec refuses it.
         */
        private static Request request(String family, String method, String target, List<String> headers, byte[] body, boolean chunked) {
            List<String> kept = new ArrayList<>(headers);
            while (kept.stream().mapToInt(h -> h.length() + 2).sum() > 7000) {
                kept.remove(kept.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow());
            }
            boolean lineFits = method.length() + target.length() + 10 < 4000;
            boolean uri = isUri(target);
            String why = !lineFits ? " (request line too long)" : !uri ? " (request-target not a URI)" : "";
            return new Request(family + why, method, target, kept, body, chunked, lineFits && uri);
        }

        /** What Quarkus checks before any route: an ASCII request-target that java.net.URI reads. */
        private static boolean isUri(String target) {
            if (target.chars().anyMatch(c -> c > 0x7e || c < 0x21)) {
                return false;
            }
            try {
                new java.net.URI(target);
                return true;
            } catch (java.net.URISyntaxException e) {
                return false;
            }
        }

        // ---- families -------------------------------------------------------------------------

        void usersList() {
            String method = pick(List.of("GET", "GET", "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "TRACE", "get"));
            String target = "/hub/api/users" + (chance(10) ? "/" : "") + queryJunk();
            if (MUTATING.contains(method) && !method.equals("POST")) {
                add("users list", method, target, headers(auth(), true), body("usernames"));
            } else if (method.equals("POST")) {
                bulkUsers();
            } else {
                add("users list", method, target, headers(auth(), false), null);
            }
        }

        void userCrud() {
            String target = "/hub/api/users/" + segment();
            String method = pick(List.of("GET", "POST", "POST", "PATCH", "PATCH", "DELETE", "PUT", "HEAD"));
            byte[] body = switch (method) {
                case "POST" -> body("admin");
                case "PATCH" -> body("name", "admin");
                case "GET", "HEAD" -> chance(10) ? rawBody() : null;
                default -> chance(50) ? body("admin") : null;
            };
            add("users", method, target + queryJunk(), headers(auth(), body != null), body);
        }

        void fixtureUsers() {
            String user = fixtureUser();
            String method = pick(List.of("GET", "GET", "HEAD", "POST", "PATCH", "PATCH"));
            String auth = auth();
            if (method.equals("GET") || method.equals("HEAD")) {
                add("fixture users", method, "/hub/api/users/" + user + queryJunk(), headers(auth, false), null);
            } else {
                addToFixture("fixture users", method, "/hub/api/users/" + user, auth);
            }
        }

        void bulkUsers() {
            byte[] body;
            if (chance(60)) {
                List<String> names = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    names.add(json(hostileName()));
                }
                if (chance(20)) {
                    names.add(value());
                }
                body = ("{\"usernames\": [" + String.join(",", names) + "]" + (chance(40) ? ", \"admin\": " + value() : "") + "}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                body = body("usernames", "admin");
            }
            add("bulk users", "POST", "/hub/api/users", headers(auth(), true), body);
        }

        String hostileTokenId() {
            return pick(List.of("a" + (1_000_000_000_000L + random.nextInt(1000)), "a", "a-1", "a1.5", "a99999999999999999999999",
                    "b12", "%00", "a%00", "0", "a0x10", escape(hostileName()), "a" + "9".repeat(30)));
        }

        static final List<String> SCOPES = List.of("read:users!server=x", "bogus", "read:users!server=", "read:users!user=",
                "read:users!group", "self!user=x", "inherit!user=x", "read:users!user=a b", "read:users!planet=mars", "",
                "!user=x", "read:users!!user=x", "access:servers!server=/gpu", "admin:users", "tokens!user=" + STORM_USER,
                "read:users!server=" + STORM_USER + "/", "servers!user", "access:servers!server", "all", "\u0000",
                "read:users!user=" + "u".repeat(3000));

        void tokens() {
            boolean fixture = chance(30);
            String user = fixture ? fixtureUser() : segment();
            String base = "/hub/api/users/" + user + "/tokens";
            String method = pick(List.of("GET", "POST", "POST", "POST", "DELETE", "GET"));
            String auth = auth();
            if (method.equals("POST")) {
                if (fixture) {
                    addToFixture("tokens", "POST", base, auth);
                    return;
                }
                byte[] body;
                if (chance(50)) {
                    StringBuilder json = new StringBuilder("{");
                    json.append("\"expires_in\": ").append(pick(List.of("9223372036854775807", "1e17", "1e14", "100000000000000",
                            "-1", "0", "3155760001", "3155760000", "\"3600\"", "3600.5", "null", "[]", "true", "86400")));
                    json.append(", \"note\": ").append(chance(50) ? json("n".repeat(pick(List.of(1024, 1025, 5000)))) : value());
                    json.append(", \"scopes\": [").append(json(pick(SCOPES))).append("]");
                    if (chance(30)) {
                        json.append(", \"roles\": ").append(pick(List.of("[\"admin\"]", "[\"no-such-role\"]", "[1]", "\"user\"", "[\"\"]")));
                    }
                    body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
                } else {
                    body = body("note", "expires_in", "scopes", "roles");
                }
                add("tokens", "POST", base, headers(auth, true), body);
            } else if (method.equals("DELETE")) {
                add("tokens", "DELETE", base + "/" + hostileTokenId(), headers(auth, false), null);
            } else {
                String target = chance(50) ? base + queryJunk() : base + "/" + hostileTokenId();
                add("tokens", "GET", target, headers(auth, false), null);
            }
        }

        /** User options naming a profile that does not exist, or not a string at all: nothing starts. */
        byte[] startOptions() {
            if (chance(40)) {
                return brokenBody();
            }
            String profile = pick(List.of(json("no-such-" + hostileName()), "1", "[]", "{}", "true", json("DEFAULT\u0000")));
            return ("{\"profile\": " + profile + (chance(50) ? ", \"" + hostileName().replace("\"", "").replace("\\", "")
                    .chars().filter(c -> c >= 0x20).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    + "\": " + value() : "") + "}").getBytes(StandardCharsets.UTF_8);
        }

        void servers() {
            boolean fixture = chance(30);
            String user = fixture ? fixtureUser() : segment();
            String server = chance(50) ? "/server" : "/servers/" + segment();
            String base = "/hub/api/users/" + user + server;
            String auth = auth();
            switch (random.nextInt(4)) {
                case 0 -> add("servers", "POST", base, headers(auth, true), startOptions());
                case 1 -> {
                    if (fixture) {
                        addToFixture("servers", "DELETE", base, auth);
                    } else {
                        add("servers", "DELETE", base, headers(auth, chance(50)), chance(50) ? body("remove") : null);
                    }
                }
                case 2 -> add("servers", "GET", base + "/progress", headers(auth, false), null);
                default -> add("servers", pick(List.of("PUT", "PATCH", "GET")), base, headers(auth, true), body("display_name", "profile"));
            }
        }

        String time() {
            return pick(List.of(json("2026-13-45T99:99:99Z"), json("+999999999-12-31T23:59:59Z"), json("-999999999-01-01T00:00:00Z"),
                    json("2026-12-06T10:00:00"), json("yesterday"), json(""), "1733479200", "null", "[]", json("2026-12-06T10:00:00+25:00"),
                    json("2026-12-06T10:00:00.123456789123Z"), json("2099-01-01T00:00:00Z"), json("2026-12-06T10:00:00Z")));
        }

        void activity() {
            boolean fixture = chance(30);
            String target = "/hub/api/users/" + (fixture ? fixtureUser() : segment()) + "/activity";
            String auth = auth();
            if (fixture) {
                addToFixture("activity", "POST", target, auth);
                return;
            }
            byte[] body;
            if (chance(60)) {
                String servers = pick(List.of("{}", "[]", "\"x\"", "{\"\": {}}", "{\"" + escape(hostileName()) + "\": {\"last_activity\": "
                        + time() + "}}", "{\"gpu\": null}", "{\"\": {\"last_activity\": " + time() + "}}"));
                body = ("{\"last_activity\": " + time() + (chance(60) ? ", \"servers\": " + servers : "") + "}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                body = body("last_activity", "servers");
            }
            add("activity", pick(List.of("POST", "POST", "POST", "GET", "PUT")), target, headers(auth, true), body);
        }

        String hostileScheduleId() {
            return pick(List.of(String.valueOf(1_000_000_000L + random.nextInt(1000)), "-1", "1.5", "abc", "%00",
                    "99999999999999999999", "0x10", escape(hostileName()), ""));
        }

        void schedules(boolean ofGroup) {
            boolean fixture = chance(25);
            String owner = ofGroup ? (fixture ? fixtureGroup() : chance(40) ? STORM_GROUP : segment())
                    : (fixture ? fixtureUser() : chance(40) ? escape(STORM_USER) : segment());
            String base = (ofGroup ? "/hub/api/groups/" : "/hub/api/users/") + owner + "/schedules";
            String family = ofGroup ? "group schedules" : "schedules";
            String auth = auth();
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    if (fixture) {
                        addToFixture(family, "POST", base, auth);
                        return;
                    }
                    byte[] body;
                    if (chance(60)) {
                        String cron = pick(List.of(json("45 8 * * MON-FRI"), json("0,".repeat(150) + "0 8 * * *"), json("* * * * * *"),
                                json("99 99 99 99 99"), json("@reboot"), json(""), json("0 8 30 2 *"), json("\u0000 8 * * *"), "5",
                                json("*/0 * * * *"), json("0 0 1 1 ?"), json("0-59/999999999 * * * *")));
                        String zone = pick(List.of(json("UTC"), json("Asia/Atlantis"), json("z".repeat(100)), json("+99:00"),
                                json("UTC+01:00"), json("GMT+0"), "null", json("../../etc/localtime"), json("")));
                        body = ("{\"cron\": " + cron + ", \"time_zone\": " + zone + ", \"server_name\": "
                                + pick(List.of(json(""), json(hostileName()), "5", "null")) + ", \"user_options\": "
                                + pick(List.of("{}", "[]", "\"gpu\"", "{\"profile\": " + json("no-such-" + hostileName()) + "}", "null"))
                                + "}").getBytes(StandardCharsets.UTF_8);
                    } else {
                        body = body("cron", "time_zone", "server_name", "user_options");
                    }
                    add(family, "POST", base, headers(auth, true), body);
                }
                case 2 -> add(family, "GET", chance(50) ? base : base + "/" + hostileScheduleId(), headers(auth, false), null);
                default -> add(family, "DELETE", base + "/" + hostileScheduleId(), headers(auth, false), null);
            }
        }

        String memberList() {
            List<String> names = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                names.add(chance(70) ? json(hostileName()) : value());
            }
            return "[" + String.join(",", names) + "]";
        }

        void groups() {
            boolean fixture = chance(25);
            String group = fixture ? fixtureGroup() : segment();
            String auth = auth();
            switch (random.nextInt(7)) {
                case 0 -> add("groups", "GET", "/hub/api/groups" + queryJunk(), headers(auth, false), null);
                case 1 -> add("groups", "POST", "/hub/api/groups", headers(auth, true), chance(60)
                        ? ("{\"groups\": " + memberList() + (chance(50) ? ", \"users\": " + memberList() : "") + "}").getBytes(StandardCharsets.UTF_8)
                        : body("groups", "users"));
                case 2 -> add("groups", "GET", "/hub/api/groups/" + group, headers(auth, false), null);
                case 3 -> {
                    if (fixture) {
                        addToFixture("groups", "POST", "/hub/api/groups/" + group, auth);
                    } else {
                        add("groups", pick(List.of("POST", "DELETE")), "/hub/api/groups/" + group, headers(auth, true),
                                ("{\"users\": " + memberList() + "}").getBytes(StandardCharsets.UTF_8));
                    }
                }
                case 4, 5 -> {
                    String method = pick(List.of("POST", "DELETE"));
                    String target = "/hub/api/groups/" + group + "/users";
                    if (fixture) {
                        addToFixture("groups", method, target, auth);
                    } else {
                        add("groups", method, target, headers(auth, true), chance(70)
                                ? ("{\"users\": " + memberList() + "}").getBytes(StandardCharsets.UTF_8) : body("users"));
                    }
                }
                default -> {
                    String target = "/hub/api/groups/" + group + "/properties";
                    if (fixture) {
                        addToFixture("groups", "PUT", target, auth);
                    } else {
                        add("groups", pick(List.of("PUT", "PUT", "GET", "PATCH")), target, headers(auth, true),
                                chance(50) ? body("a", "b") : ("{\"deep\": " + nested(pick(List.of(50, 900, 1500))) + "}")
                                        .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }

        void proxyApi() {
            String method = pick(List.of("GET", "GET", "POST", "PATCH", "DELETE", "HEAD"));
            boolean body = method.equals("POST") || method.equals("PATCH");
            add("proxy", method, "/hub/api/proxy" + (chance(20) ? "/" + segment() : "") + queryJunk(), headers(auth(), body),
                    body ? body("routes", "target") : null);
        }

        void oauth() {
            String auth = pick(Arrays.asList(null, null, "token " + ADMIN, "token " + secrets.get(pick(USERS)), "Basic !!!",
                    "Basic " + java.util.Base64.getEncoder().encodeToString((hostileName() + ":" + hostileName()).getBytes(StandardCharsets.UTF_8))));
            if (chance(45)) {
                StringBuilder query = new StringBuilder("?");
                for (String field : List.of("client_id", "redirect_uri", "response_type", "state", "scope", "code_challenge")) {
                    if (chance(60)) {
                        String value = pick(List.of(hostileName(), "jupyterhub-user-" + hostileName(), "code", "token",
                                "{x}", "%", "http://evil.example.com/cb", "javascript:alert(1)", "x".repeat(2000), ""));
                        query.append(field).append('=').append(chance(85) ? query(value) : value.replace(" ", "+")
                                .replace("#", "%23").replace("%", "%25")).append('&');
                    }
                }
                add("oauth2 authorize", pick(List.of("GET", "GET", "POST", "HEAD")), "/hub/api/oauth2/authorize" + query,
                        headers(auth, false), null);
                return;
            }
            String form;
            if (chance(70)) {
                StringBuilder fields = new StringBuilder();
                for (String field : List.of("client_id", "client_secret", "grant_type", "code", "redirect_uri", "code_verifier")) {
                    if (chance(75)) {
                        String value = field.equals("grant_type") && chance(50) ? "authorization_code"
                                : pick(List.of(hostileName(), "x".repeat(5000), "", "%", "%zz", "%FF%FE", "a=b=c", "&&", "+++"));
                        fields.append(field).append('=').append(chance(80) ? query(value) : value).append('&');
                    }
                }
                form = fields.toString();
            } else {
                form = pick(List.of("=", "&&&", "%", "a", "grant_type", "=x", "x".repeat(100_000), "\u0000=\u0000",
                        "grant_type=authorization_code&grant_type=refresh_token", "{\"grant_type\": \"authorization_code\"}"));
            }
            List<String> headers = new ArrayList<>(headers(auth, false));
            headers.removeIf(h -> h.startsWith("Content-Type"));
            headers.add("Content-Type: " + pick(List.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded",
                    "application/x-www-form-urlencoded; charset=nonsense", "application/x-www-form-urlencoded; charset=utf-16",
                    "application/json", "multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded; charset=\u00fc")));
            add("oauth2 token", pick(List.of("POST", "POST", "POST", "GET", "PUT")), "/hub/api/oauth2/token" + queryJunk(),
                    headers, form.getBytes(StandardCharsets.UTF_8));
        }

        void profilesAndCuller() {
            String target = pick(List.of("/hub/api/profiles", "/hub/api/profiles/capacity", "/hub/api/profiles/status",
                    "/hub/api/profiles/" + segment(), "/hub/api/culler", "/hub/api/culler/" + segment()));
            String method = pick(List.of("GET", "GET", "GET", "POST", "DELETE", "HEAD"));
            boolean body = method.equals("POST");
            add(target.startsWith("/hub/api/culler") ? "culler" : "profiles", method, target + queryJunk(), headers(auth(), body),
                    body ? body("profiles", "enabled") : null);
        }

        void notifications() {
            String user = chance(30) ? fixtureUser() : segment();
            String method = pick(List.of("GET", "GET", "POST", "DELETE"));
            boolean body = method.equals("POST");
            add("notifications", method, "/hub/api/users/" + user + "/notifications" + queryJunk(), headers(auth(), body),
                    body ? brokenBody() : null);
        }

        /** Only ever by callers without the shutdown scope: the hub must stay up for the rest of the storm. */
        void shutdown() {
            String auth = pick(Arrays.asList(null, "token " + secrets.get(pick(USERS)), "token garbage", "Bearer", "Basic !!!"));
            List<String> headers = headers(auth, true);
            headers.removeIf(h -> h.startsWith("Authorization") && !h.equals("Authorization: " + auth));
            if (headers.stream().anyMatch(h -> h.contains(ADMIN) || h.contains(session))) {
                return;
            }
            add("shutdown", pick(List.of("POST", "POST", "GET")), "/hub/api/shutdown", headers, body("proxy", "servers"));
        }

        void misc() {
            String target = pick(List.of("/hub/api", "/hub/api/", "/hub/api/info", "/hub/api/user", "/hub/api/nope",
                    "/hub/api//users", "/hub/api/users/", "/hub/api/users//tokens", "/hub/api/" + segment(),
                    "/hub/api/users/" + segment() + "/" + segment(), "/hub/api/groups/", "/hub/api/shares", "/hub/api/share-codes/x",
                    "/hub/api/users/" + fixtureUser() + "/shared", "/hub/api/services", "/hub/api/authorizations/token/x",
                    "/hub/api/users/" + fixtureUser() + "/servers/", "/hub/api/%2e%2e/%2e%2e/etc/passwd", "/hub/api/users/.."));
            String method = pick(List.of("GET", "GET", "HEAD", "OPTIONS", "PATCH", "DELETE", "PROPFIND", "FOO", "get", "CONNECT"));
            String decoded = java.net.URLDecoder.decode(target.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (MUTATING.contains(method) && USERS.stream().anyMatch(decoded::contains)) {
                method = "GET";
            }
            boolean body = method.equals("PATCH");
            add("misc", method, target + queryJunk(), headers(auth(), body), body ? brokenBody() : null);
        }

        void pages() {
            boolean signedIn = chance(50);
            List<String> headers = new ArrayList<>(headers(null, false));
            headers.removeIf(h -> h.startsWith("Content-Type"));
            if (signedIn) {
                headers.add("Cookie: jupyterhub-hub-login=" + session + "; _xsrf=" + xsrf);
            }
            if (chance(60)) {
                headers.add("Accept: text/html");
            }
            String next = pick(List.of("/a b", "/hub/^", "/hub/|", "/hub/`", "/hub/<x>", "/hub/{x}", "/%", "\t", "/hub/home?x={y}",
                    "//evil.example.com", "https://evil.example.com/", "/\t/evil.example.com", "javascript:alert(1)", "/\\evil",
                    "/user/" + STORM_USER + "/lab", "/%zz", "\u0000", "/hub/" + "x".repeat(2000), hostileName()));
            switch (random.nextInt(8)) {
                case 0 -> add("pages", "GET", "/hub/login?next=" + query(next), headers, null);
                case 1 -> {
                    String form = "username=" + query(chance(20) ? STORM_USER : hostileName()) + "&next=" + query(next)
                            + (chance(80) ? "&_xsrf=" + (chance(80) ? xsrf : "wrong") : "");
                    headers.add("Content-Type: " + pick(List.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded",
                            "multipart/form-data; boundary=x", "application/json", "application/x-www-form-urlencoded; charset=nonsense")));
                    if (!signedIn) {
                        headers.add("Cookie: _xsrf=" + xsrf);
                    }
                    add("pages", "POST", "/hub/login", headers, form.getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> add("pages", "GET", pick(List.of("/hub/home", "/hub/token", "/hub/admin" + pick(List.of("", "?page=-1",
                        "?page=abc", "?page=99999999999", "?q=" + query(hostileName()), "?sort=%00")), "/hub/spawn", "/hub/",
                        "/hub", "/hub/logout", "/hub/oauth_callback?state=%FF&code=" + query(hostileName()))), headers, null);
                case 3 -> add("pages", "GET", pick(List.of("/hub/spawn/", "/hub/spawn-pending/", "/hub/open/", "/hub/user/", "/user/"))
                        + segment() + (chance(50) ? "/" + segment() : "") + (chance(30) ? "?next=" + query(next) : ""), headers, null);
                case 4 -> {
                    // A start asked on the page: always of a profile that does not exist.
                    String form = "profile=" + query("no-such-" + hostileName()) + "&_xsrf=" + (chance(70) ? xsrf : "x")
                            + (chance(50) ? "&" + query(hostileName()) + "=" + query(hostileName()) : "");
                    headers.add("Content-Type: application/x-www-form-urlencoded");
                    add("pages", "POST", pick(List.of("/hub/spawn", "/hub/spawn/" + escape(STORM_USER),
                            "/hub/spawn/" + escape(STORM_USER) + "/" + segment(), "/hub/spawn/" + segment())), headers,
                            form.getBytes(StandardCharsets.UTF_8));
                }
                case 5 -> add("pages", "GET", "/hub/error/" + pick(List.of("404", "503", "999", "-1", "abc", "%FF", segment()))
                        + "?url=" + query(pick(List.of("/user/x/", "<script>", next))), headers, null);
                case 6 -> add("pages", pick(List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")), pick(List.of("/hub/login",
                        "/hub/home", "/hub/spawn", "/hub/token")), headers, chance(50) ? rawBody() : null);
                default -> add("pages", "GET", "/hub/static/" + pick(List.of("ganymede.css", "..%2F..%2Fapplication.yaml",
                        "%00", segment(), "ganymede.js?v=" + query(hostileName()))), headers, null);
            }
        }

        /** Requests broken at the HTTP level: only no 5xx and no hang is asked of them. */
        void brokenHttp() {
            String target = switch (random.nextInt(8)) {
                case 0 -> "/hub/api/users/%zz";
                case 1 -> "/hub/api/users/" + hostileName().replace("%", "%25") + "{}";
                case 2 -> "/hub/login?next=/hub/home?x={y}";
                case 3 -> "/hub/api/users/" + "a".repeat(5000);
                case 4 -> "/hub/api/users/a%";
                case 5 -> "/hub/api/groups/a|b";
                case 6 -> "/hub/api/users/%C3%";
                default -> "/hub/api/oauth2/authorize?state=%G0";
            };
            List<String> headers = new ArrayList<>(List.of("Authorization: token " + ADMIN));
            byte[] body = null;
            switch (random.nextInt(7)) {
                case 5 -> headers.add(pick(List.of("Host: [::1", "Host: a b", "Host: a@b:c:d", "Host: \u00e9")));
                case 0 -> headers.add("X-Big: " + "b".repeat(9000));
                case 1 -> headers.add("Content-Length: abc");
                case 2 -> {
                    headers.add("Content-Length: 2");
                    headers.add("Content-Length: 3");
                }
                case 3 -> headers.add(" folded: header");
                case 4 -> headers.add("Bad Header Name: x");
                default -> body = null;
            }
            requests.add(new Request("broken http", pick(List.of("GET", "POST", "G E T")), target, headers, body, false, false));
        }

        void bigBodies() {
            byte[] fiveMegabytes = ("{\"note\": \"" + "n".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            add("big bodies", "POST", "/hub/api/users/" + escape(STORM_USER) + "/tokens", headers("token " + ADMIN, true), fiveMegabytes);
            add("big bodies", "PUT", "/hub/api/groups/" + STORM_GROUP + "/properties", headers("token " + ADMIN, true),
                    ("{\"big\": \"" + "p".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
            byte[] elevenMegabytes = new byte[11 * 1024 * 1024];
            Arrays.fill(elevenMegabytes, (byte) ' ');
            requests.add(new Request("big bodies", "POST", "/hub/api/users", headers("token " + ADMIN, true), elevenMegabytes, false, true));
            // Past the limit without a Content-Length, the body is cut by Quarkus' own reader, whose 413
            // has no body: held to the HTTP-level rules only.
            requests.add(new Request("big bodies (chunked past the limit)", "POST", "/hub/api/users/" + escape(STORM_USER) + "/activity",
                    headers("token " + ADMIN, true), elevenMegabytes, true, false));
        }
    }
}
