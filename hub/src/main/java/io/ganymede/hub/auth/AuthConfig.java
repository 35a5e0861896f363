package io.ganymede.hub.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** How users sign in ({@code ganymede.auth.*}). Defaults and comments also live in application.yaml. */
@ConfigMapping(prefix = "ganymede.auth")
public interface AuthConfig {

    /** The sign-in mechanisms. */
    enum Mode {
        /** Google Cloud IAP in front: every request carries a signed assertion. */
        IAP,
        /** The hub runs an OpenID Connect authorization-code login itself. */
        OIDC,
        /** Anyone can pick a name; for development on loopback only. */
        DEV
    }

    /** Which mechanism signs users in. */
    @WithDefault("dev")
    Mode mode();

    /** Users who are admins: made admins when they sign in. */
    Optional<List<String>> adminUsers();

    /** Groups (OIDC groups claim) whose members are admins; membership decides at each sign-in. */
    Optional<Set<String>> adminGroups();

    /**
     * Let admins reach every user's server ({@code access:servers} in the admin role), as
     * JupyterHub's {@code admin_access}; off by default, as in JupyterHub 2 and later.
     */
    @WithDefault("false")
    boolean adminAccess();

    /** Make a user's groups exactly those the OIDC groups claim lists, at each sign-in (JupyterHub's manage_groups). */
    @WithDefault("false")
    boolean manageGroups();

    /** Custom roles, as JupyterHub's {@code load_roles}: scopes granted to listed users, groups and services. */
    Optional<List<RoleSpec>> roles();

    /** Mark the login cookie Secure; on whenever the hub is reached over HTTPS. */
    @WithDefault("false")
    boolean secureCookies();

    /** Required Google Workspace ({@code hd}) or email domains; empty admits any domain. */
    Optional<Set<String>> allowedDomains();

    /** User names or emails admitted; with allowed-groups empty too, everyone verified is. */
    Optional<Set<String>> allowedUsers();

    /** Groups whose members are admitted (OIDC groups claim). */
    Optional<Set<String>> allowedGroups();

    Iap iap();

    Oidc oidc();

    Dev dev();

    /** The allow-lists as one policy. */
    default AccessPolicy accessPolicy() {
        return new AccessPolicy(
                allowedDomains().orElse(Set.of()), allowedUsers().orElse(Set.of()), allowedGroups().orElse(Set.of()));
    }

    /** One custom role: a name, its scopes, and who holds it. */
    interface RoleSpec {
        String name();

        /** Scopes with filters, as in JupyterHub ({@code read:users!group=ds}, {@code access:servers!user=bob}). */
        List<String> scopes();

        /** Users who hold the role. */
        Optional<List<String>> users();

        /** Groups whose members hold the role. */
        Optional<List<String>> groups();

        /** Services (ganymede.services) whose API tokens hold the role. */
        Optional<List<String>> services();
    }

    interface Iap {
        /** Google's public keys for IAP assertions. */
        @WithDefault("https://www.gstatic.com/iap/verify/public_key-jwk")
        String jwksUrl();

        /** Accepted {@code aud} values: {@code /projects/<PROJECT_NUMBER>/global/backendServices/<SERVICE_ID>}. */
        Optional<Set<String>> audiences();

        /** The {@code iss} every IAP assertion carries. */
        @WithDefault("https://cloud.google.com/iap")
        String issuer();

        /** Tolerance for clock differences when checking {@code exp}, {@code iat} and {@code nbf}. */
        @WithDefault("30s")
        Duration clockSkew();

        /** Least time between two key fetches caused by unknown key ids. */
        @WithDefault("30s")
        Duration jwksMinRefreshInterval();

        /** Keys older than this are fetched again, so withdrawn keys stop being trusted. */
        @WithDefault("1h")
        Duration jwksMaxAge();
    }

    interface Oidc {
        /** Issuer URL; {@code <issuer>/.well-known/openid-configuration} is read at first use. */
        Optional<String> issuer();

        /** OAuth client id registered at the provider. */
        Optional<String> clientId();

        /** OAuth client secret; empty for a public client (PKCE only). */
        Optional<String> clientSecret();

        /** Absolute URL of the hub's callback, registered at the provider. */
        @WithDefault("http://127.0.0.1:8000/hub/oauth_callback")
        String callbackUrl();

        /** ID-token claim that names the user; an email claim goes through {@link UsernameMapper}. */
        @WithDefault("email")
        String usernameClaim();

        /** ID-token claim that lists the user's groups. */
        @WithDefault("groups")
        String groupsClaim();

        /** Scopes requested; {@code openid} is always added. */
        @WithDefault("openid,email,profile")
        List<String> scopes();

        /** Tolerance for clock differences when checking the ID token. */
        @WithDefault("30s")
        Duration clockSkew();

        /** How long a started login may take before its state expires. */
        @WithDefault("10m")
        Duration loginTimeout();
    }

    interface Dev {
        /** Let dev mode listen on a non-loopback address, where anyone on the network could sign in as anyone. */
        @WithDefault("false")
        boolean allowNonLoopback();
    }
}
