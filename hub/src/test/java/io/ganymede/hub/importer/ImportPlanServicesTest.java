package io.ganymede.hub.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.importer.ImportPlan.Existing;
import io.ganymede.hub.importer.JupyterHubData.OAuthClient;
import io.ganymede.hub.importer.JupyterHubData.Service;
import io.ganymede.hub.importer.JupyterHubData.Token;
import io.ganymede.hub.importer.JupyterHubData.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the plan does with services JupyterHub's fixtures do not have: one created through the API
 * (JupyterHub 5.0) with its OAuth client and people's logins to it, one named like Ganymede's own
 * admin token, and tokens of a service that is not imported. Hashes are JupyterHub's, as written
 * by JupyterHub 5.5 (resources/jupyterhub).
 */
class ImportPlanServicesTest {

    private static final String HASH = "sha512:1:8292ef6b0b87a7d0:644d6f05717070d0546381f76152210dc9b5210df94282b94e1d44b3d1ed54b7baba263e2116a2243e4bb7556271a754dc58396dcde7b58beebac5c9169e517b";
    private static final String SECRET = "sha512:16384:f7a7dd6c3e1320c5:1aef3c389e68e362d1f4a0556c24d5a0ca370881745a55a2b2c15ed18e36bfb3521ccc61c7fe1c04aec077c75cdece5cfb5adffd316c7ecd14708e9ed48ef39b";
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    private static Token token(long id, String user, String service, String client, List<String> scopes) {
        return new Token(id, user, service, HASH.substring(0, 4), HASH, client, null, scopes, NOW, null, null);
    }

    private static JupyterHubData data() {
        return new JupyterHubData("4621fec11365", List.of(new User("alice@example.com", false, NOW, NOW)), List.of(),
                List.of(), List.of(
                        new Service("experiments", false, "http://mlflow.ds-tools:5000", false, true, true,
                                "{\"description\": \"MLflow\"}", "service-experiments", List.of()),
                        new Service("ganymede-admin", true, null, true, true, false, "{}", null, List.of("admin"))),
                List.of(), List.of(new OAuthClient("service-experiments", SECRET, "/services/experiments/oauth_callback",
                        List.of("access:services!service=experiments"))),
                List.of(token(1, null, "experiments", null, List.of("inherit")),
                        token(2, "alice@example.com", null, "service-experiments", List.of("access:services!service=experiments")),
                        token(3, null, "ganymede-admin", null, List.of("inherit"))));
    }

    @Test
    void aServiceCreatedThroughTheApiComesWithItsClientTokenAndLogins() {
        ImportPlan plan = ImportPlan.of(data(), Existing.empty(), "roles.yaml", Optional.empty(), NOW);
        List<String> lines = plan.steps().stream().map(ImportPlan.Step::line).toList();
        assertTrue(lines.contains("create    service experiments: roles none; url http://mlflow.ds-tools:5000;"
                + " created through the API: kept until deleted"), lines.toString());
        assertTrue(lines.contains("create    oauth client service-experiments: for service experiments"), lines.toString());
        assertTrue(lines.contains("create    token a1 of service experiments: api, scopes inherit, expires never"), lines.toString());
        assertTrue(lines.contains("create    token a2 of alice@example.com: oauth, scopes access:services!service=experiments,"
                + " expires never"), lines.toString());
        assertTrue(lines.contains("skip      service ganymede-admin: the name is Ganymede's own for GANYMEDE_ADMIN_TOKEN"), lines.toString());
        assertTrue(lines.contains("skip      token a3 of service ganymede-admin: its service is not imported"), lines.toString());

        assertEquals(List.of("experiments"), plan.services().stream().map(s -> s.service().name()).toList());
        assertEquals("experiments", plan.clients().get(0).service());
        assertEquals(List.of("api", "oauth"), plan.tokens().stream().map(ImportPlan.TokenImport::kind).toList());
    }

    @Test
    void aServiceGanymedeHasAlreadyIsLeftAndGetsItsTokens() {
        Existing existing = new Existing(Map.of("alice@example.com", false), Map.of(), Map.of(), Set.of(), Map.of(),
                Set.of("service-experiments"), Set.of("experiments"));
        ImportPlan plan = ImportPlan.of(data(), existing, "roles.yaml", Optional.empty(), NOW);
        List<String> lines = plan.steps().stream().map(ImportPlan.Step::line).toList();
        assertTrue(lines.contains("unchanged service experiments"), lines.toString());
        assertTrue(lines.contains("unchanged oauth client service-experiments"), lines.toString());
        assertEquals(List.of(), plan.services());
        assertTrue(lines.contains("create    token a1 of service experiments: api, scopes inherit, expires never"), lines.toString());
    }
}
