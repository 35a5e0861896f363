package io.ganymede.hub.importer;

import io.ganymede.hub.importer.JupyterHubData.Group;
import io.ganymede.hub.importer.JupyterHubData.OAuthClient;
import io.ganymede.hub.importer.JupyterHubData.Role;
import io.ganymede.hub.importer.JupyterHubData.Server;
import io.ganymede.hub.importer.JupyterHubData.Token;
import io.ganymede.hub.importer.JupyterHubData.User;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Roles;
import io.ganymede.hub.spawn.Urls;
import io.ganymede.hub.tokens.JupyterHubHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What importing a JupyterHub database into Ganymede's would do, item by item: create what is
 * missing, leave what is already there and equal, report what differs (a conflict, never
 * overwritten) and what cannot be imported, with the reason. Pure: built from what both databases
 * hold, applied by {@link GanymedeDatabase}.
 */
public final class ImportPlan {

    public enum Outcome { CREATE, UNCHANGED, CONFLICT, SKIP }

    /** One line of the plan. */
    public record Step(String subject, Outcome outcome, String detail) {
        public String line() {
            return String.format("%-9s %s%s", outcome.name().toLowerCase(java.util.Locale.ROOT), subject,
                    detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** A token to create, with the kind and server Ganymede records it under. */
    public record TokenImport(Token token, String kind, String serverName, JupyterHubHash.Parts hash) {}

    /** What Ganymede's database already holds, keyed as the plan compares it. */
    public record Existing(Map<String, Boolean> adminByUser, Map<String, Group> groups,
            Map<String, String> serverStates, Set<String> runningServers, Map<String, String> tokenOwners,
            Set<String> clients) {

        public static Existing empty() {
            return new Existing(Map.of(), Map.of(), Map.of(), Set.of(), Map.of(), Set.of());
        }

        static String serverKey(String user, String name) {
            return user + "/" + name;
        }
    }

    /** KubeSpawner state keys Ganymede's kubernetes spawner keeps (the same names). */
    static final List<String> STATE_KEYS = List.of("pod_name", "namespace", "pvc_name");

    private final List<Step> steps = new ArrayList<>();
    private final List<User> users = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<OAuthClient> clients = new ArrayList<>();
    private final List<TokenImport> tokens = new ArrayList<>();
    private final List<Role> roles = new ArrayList<>();
    private String settings;

    private ImportPlan() {}

    /**
     * @param settingsPath where custom roles are written as settings
     * @param settingsNow what that file holds now, if it exists
     */
    public static ImportPlan of(JupyterHubData source, Existing existing, String settingsPath,
            Optional<String> settingsNow, Instant now) {
        ImportPlan plan = new ImportPlan();
        plan.planUsers(source, existing);
        plan.planGroups(source, existing);
        plan.planRoles(source, settingsPath, settingsNow);
        Map<String, Server> running = plan.planServers(source, existing);
        Map<String, Server> serverByClient = plan.planClients(source, existing, running);
        plan.planTokens(source, existing, running, serverByClient, now);
        return plan;
    }

    private void planUsers(JupyterHubData source, Existing existing) {
        for (User user : source.users()) {
            Boolean admin = existing.adminByUser().get(user.name());
            String subject = "user " + user.name();
            if (admin == null) {
                users.add(user);
                step(subject, Outcome.CREATE, user.admin() ? "admin" : "");
            } else if (admin == user.admin()) {
                step(subject, Outcome.UNCHANGED, "");
            } else {
                step(subject, Outcome.CONFLICT, "admin is " + admin + " in Ganymede, " + user.admin()
                        + " in JupyterHub; Ganymede's kept");
            }
        }
    }

    private void planGroups(JupyterHubData source, Existing existing) {
        for (Group group : source.groups()) {
            String subject = "group " + group.name();
            Group there = existing.groups().get(group.name());
            String members = "members " + String.join(", ", group.members());
            if (there == null) {
                groups.add(group);
                step(subject, Outcome.CREATE, (group.members().isEmpty() ? "no members" : members)
                        + ("{}".equals(normalized(group.properties())) ? "" : "; properties " + normalized(group.properties())));
            } else if (Set.copyOf(there.members()).equals(Set.copyOf(group.members()))
                    && normalized(there.properties()).equals(normalized(group.properties()))) {
                step(subject, Outcome.UNCHANGED, "");
            } else {
                step(subject, Outcome.CONFLICT, "Ganymede's group differs (members " + String.join(", ", there.members())
                        + ", properties " + normalized(there.properties()) + "); JupyterHub's has " + members
                        + ", properties " + normalized(group.properties()) + "; Ganymede's kept");
            }
        }
    }

    /** Custom roles become settings (Ganymede's roles are configuration, JupyterHub's load_roles). */
    private void planRoles(JupyterHubData source, String settingsPath, Optional<String> settingsNow) {
        List<Step> roleSteps = new ArrayList<>();
        for (Role role : source.roles()) {
            String subject = "role " + role.name();
            if (Roles.exists(role.name())) {
                // Built in: admin is the users' admin flag, user/server/token are Ganymede's own.
                continue;
            }
            try {
                Permissions.expand(role.scopes(), "(holder)", null);
            } catch (IllegalArgumentException e) {
                roleSteps.add(new Step(subject, Outcome.SKIP, "not a role Ganymede can grant: " + e.getMessage()));
                continue;
            }
            roles.add(role);
            String detail = "scopes " + names(role.scopes()) + "; users " + names(role.users())
                    + "; groups " + names(role.groups()) + " (written to the settings file)";
            if (!role.services().isEmpty()) {
                detail += "; not for services " + String.join(", ", role.services()) + ": Ganymede has no services";
            }
            roleSteps.add(new Step(subject, Outcome.CREATE, detail));
        }
        // The roles go to one settings file: written whole when absent, else left as it is.
        String yaml = RoleSettings.yaml(roles);
        String file = "settings file " + settingsPath;
        if (roles.isEmpty()) {
            steps.addAll(roleSteps);
        } else if (settingsNow.isEmpty()) {
            steps.addAll(roleSteps);
            settings = yaml;
            step(file, Outcome.CREATE, roles.size() + " custom roles as ganymede.auth.roles;"
                    + " start the hub with QUARKUS_CONFIG_LOCATIONS=" + settingsPath);
        } else {
            roleSteps.stream().filter(s -> s.outcome() == Outcome.SKIP).forEach(steps::add);
            if (settingsNow.get().equals(yaml)) {
                step(file, Outcome.UNCHANGED, "");
            } else {
                step(file, Outcome.CONFLICT, "exists with other content; left as it is (name another with --settings-out)");
            }
        }
    }

    /** Plans every server; returns the running ones by {@code user/name}. */
    private Map<String, Server> planServers(JupyterHubData source, Existing existing) {
        Map<String, Server> running = new HashMap<>();
        for (Server server : source.servers()) {
            String key = Existing.serverKey(server.user(), server.name());
            String subject = "server " + key;
            Server kept = ganymedeServer(server);
            String state = JsonColumns.write(kept.state());
            String there = existing.serverStates().get(key);
            if (!server.running() && server.name().isEmpty() && kept.state().isEmpty() && "{}".equals(kept.userOptions())) {
                // JupyterHub keeps a row for every user's default server; one stopped that remembers nothing is no server.
                continue;
            }
            String detail = (server.running() ? "running at " + server.url() + ", adopted at the hub's start" : "stopped")
                    + "; state " + state + "; user_options " + normalized(server.userOptions());
            if (there == null) {
                servers.add(kept);
                step(subject, Outcome.CREATE, detail);
            } else if (there.equals(state) && existing.runningServers().contains(key) == server.running()) {
                step(subject, Outcome.UNCHANGED, "");
            } else {
                step(subject, Outcome.CONFLICT, "Ganymede has this server with state " + there + "; JupyterHub's is "
                        + detail + "; Ganymede's kept");
                continue;
            }
            if (server.running()) {
                running.put(key, kept);
            }
        }
        return running;
    }

    /** The state Ganymede's kubernetes spawner reads (a stopped server remembers only its claim). */
    private static Server ganymedeServer(Server server) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String key : STATE_KEYS) {
            Object value = server.state().get(key);
            if (value instanceof String s && !s.isEmpty() && (server.running() || key.equals("pvc_name"))) {
                state.put(key, s);
            }
        }
        if (server.running()) {
            state.put("app", "jupyterlab");
        }
        return new Server(server.user(), server.name(), server.displayName(), server.started(), server.lastActivity(),
                normalized(server.userOptions()), state, server.url(), server.oauthClient());
    }

    /** OAuth clients of running servers; returns those servers by client identifier. */
    private Map<String, Server> planClients(JupyterHubData source, Existing existing, Map<String, Server> running) {
        Map<String, Server> byClient = new HashMap<>();
        for (Server server : running.values()) {
            if (server.oauthClient() != null) {
                byClient.put(server.oauthClient(), server);
            }
        }
        for (OAuthClient client : source.clients()) {
            String subject = "oauth client " + client.identifier();
            Server server = byClient.get(client.identifier());
            if (server == null) {
                if (client.identifier().startsWith("jupyterhub-user-")) {
                    step(subject, Outcome.SKIP, "its server is not running: Ganymede makes a new client at its next start");
                } else if (!client.identifier().equals("jupyterhub")) {
                    step(subject, Outcome.SKIP, "a service's client: Ganymede has no services");
                }
                continue;
            }
            if (!client.identifier().equals(Urls.clientId(server.user(), server.name()))) {
                step(subject, Outcome.SKIP, "not named as Ganymede names the client of " + server.user() + "/" + server.name());
                byClient.remove(client.identifier());
            } else if (JupyterHubHash.parse(client.secretHash()).isEmpty()) {
                step(subject, Outcome.SKIP, "its secret is not stored as JupyterHub's salted hash");
                byClient.remove(client.identifier());
            } else if (existing.clients().contains(client.identifier())) {
                step(subject, Outcome.UNCHANGED, "");
            } else {
                clients.add(client);
                step(subject, Outcome.CREATE, "for server " + server.user() + "/" + server.name());
            }
        }
        return byClient;
    }

    private void planTokens(JupyterHubData source, Existing existing, Map<String, Server> running,
            Map<String, Server> serverByClient, Instant now) {
        for (Token token : source.tokens()) {
            String owner = token.user() != null ? token.user() : "service " + token.service();
            String subject = "token " + token.publicId() + " of " + owner;
            Optional<String> problem = Optional.empty();
            String kind = "api";
            Server server = null;
            Optional<JupyterHubHash.Parts> hash = JupyterHubHash.parse(token.hashed());
            String client = token.clientId() == null ? "jupyterhub" : token.clientId();
            if (token.user() == null) {
                problem = Optional.of("a service's token: Ganymede has no services (give the service a user's token,"
                        + " or GANYMEDE_ADMIN_TOKEN for an admin service)");
            } else if (token.expiresAt() != null && !token.expiresAt().isAfter(now)) {
                problem = Optional.of("expired " + token.expiresAt());
            } else if (hash.isEmpty()) {
                problem = Optional.of("not stored as JupyterHub's salted hash");
            } else if (token.note() != null && token.note().startsWith("Server at ") && client.equals("jupyterhub")) {
                server = running.values().stream()
                        .filter(s -> s.user().equals(token.user()) && token.note().endsWith(Urls.serverPrefix(s.user(), s.name())))
                        .findFirst().orElse(null);
                kind = "server";
                if (server == null) {
                    problem = Optional.of("the token of a server that is not running");
                }
            } else if (!client.equals("jupyterhub")) {
                server = serverByClient.get(client);
                kind = "oauth";
                if (server == null) {
                    problem = Optional.of("issued by OAuth client " + client + ", which is not imported");
                }
            }
            if (problem.isEmpty()) {
                try {
                    Permissions.expand(token.scopes(), token.user(), server == null ? null : server.user() + "/" + server.name());
                } catch (IllegalArgumentException e) {
                    problem = Optional.of("scopes Ganymede does not know: " + e.getMessage());
                }
            }
            if (problem.isPresent()) {
                step(subject, Outcome.SKIP, problem.get());
                continue;
            }
            String key = hash.get().salt() + ":" + hash.get().digest();
            String there = existing.tokenOwners().get(key);
            // Sorted: JupyterHub keeps a token's scopes as a set, in no stable order.
            String detail = kind + ", scopes " + String.join(" ", new java.util.TreeSet<>(token.scopes()))
                    + (token.note() == null ? "" : ", note '" + token.note() + "'")
                    + ", expires " + (token.expiresAt() == null ? "never" : token.expiresAt());
            if (there == null) {
                tokens.add(new TokenImport(token, kind, server == null ? null : server.name(), hash.get()));
                step(subject, Outcome.CREATE, detail);
            } else if (there.equals(token.user())) {
                step(subject, Outcome.UNCHANGED, "");
            } else {
                step(subject, Outcome.CONFLICT, "Ganymede has this token for " + there + "; left there");
            }
        }
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String normalized(String json) {
        return JsonColumns.write(JsonColumns.object(json == null ? "{}" : json));
    }

    private void step(String subject, Outcome outcome, String detail) {
        steps.add(new Step(subject, outcome, detail));
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public List<User> users() {
        return List.copyOf(users);
    }

    public List<Group> groups() {
        return List.copyOf(groups);
    }

    public List<Server> servers() {
        return List.copyOf(servers);
    }

    public List<OAuthClient> clients() {
        return List.copyOf(clients);
    }

    public List<TokenImport> tokens() {
        return List.copyOf(tokens);
    }

    public List<Role> roles() {
        return List.copyOf(roles);
    }

    /** The settings file's content to write, when it is to be created. */
    public Optional<String> settingsToWrite() {
        return Optional.ofNullable(settings);
    }

    public long count(Outcome outcome) {
        return steps.stream().filter(s -> s.outcome() == outcome).count();
    }
}
