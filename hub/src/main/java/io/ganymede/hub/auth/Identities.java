package io.ganymede.hub.auth;

import io.ganymede.hub.config.HubConfig;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.RoleCatalog;
import io.ganymede.hub.scopes.Roles;
import io.ganymede.hub.sharing.Shares;
import io.ganymede.hub.tokens.Secrets;
import io.ganymede.hub.tokens.TokenService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns a presented secret into a {@link Caller}: tokens, sessions and the configured admin token. */
@ApplicationScoped
public class Identities {

    public static final String ADMIN_SERVICE = "ganymede-admin";

    private final TokenService tokens;
    private final RoleCatalog roles;
    private final Accounts accounts;
    private final Shares shares;
    /** The configured admin token's hash, or null; its caller is the same for every request. */
    private final String adminTokenHash;
    private volatile Caller adminService;

    Identities(TokenService tokens, HubConfig config, RoleCatalog roles, Accounts accounts, Shares shares) {
        this.accounts = accounts;
        this.shares = shares;
        this.tokens = tokens;
        this.roles = roles;
        this.adminTokenHash = config.adminToken().filter(t -> !t.isEmpty()).map(t -> Secrets.hash("", t)).orElse(null);
    }

    /** The caller a secret stands for. The admin token needs no transaction, stored tokens one. */
    public Optional<Caller> fromSecret(String secret, boolean viaCookie) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        if (adminTokenHash != null && Secrets.matches("", adminTokenHash, secret)) {
            return Optional.of(adminService());
        }
        return QuarkusTransaction.joiningExisting().call(() -> tokens.find(secret)
                .filter(t -> viaCookie == (t.kind == TokenEntity.Kind.session))
                .map(t -> fromToken(t, viaCookie)));
    }

    private Caller adminService() {
        Caller service = adminService;
        if (service == null) {
            Permissions permissions = Permissions.expand(roles.scopes(Roles.ADMIN), null, null);
            service = new Caller(ADMIN_SERVICE, true, true, Set.of(), permissions, null, false);
            adminService = service;
        }
        return service;
    }

    private Caller fromToken(TokenEntity token, boolean viaCookie) {
        if (token.service != null) {
            return fromServiceToken(token);
        }
        UserEntity user = token.user;
        Permissions owner = ownerPermissions(user);
        List<String> raw = token.scopeList();
        Permissions permissions;
        if (raw.contains("inherit")) {
            permissions = owner;
        } else {
            List<String> withIdentity = new ArrayList<>(raw);
            withIdentity.addAll(identifyScopes(user.name));
            String ownServer = token.server == null ? null : token.server.fullName();
            permissions = Permissions.expand(withIdentity, user.name, ownServer)
                    .intersect(owner, Identities::groupsOf);
        }
        return new Caller(user.name, false, user.admin, user.groupNames(), permissions, token.id, viaCookie);
    }

    /**
     * A service's token, as JupyterHub's {@code get_scopes_for}: its scopes narrowed to what the
     * service's roles give, and always enough to identify the service.
     */
    private Caller fromServiceToken(TokenEntity token) {
        ServiceEntity service = token.service;
        List<String> held = roles.rolesOfService(service.name, service.admin, service.roleList());
        Permissions owner = roles.servicePermissions(service.name, held);
        List<String> raw = new ArrayList<>(token.scopeList());
        raw.add("read:services:name!service=" + service.name);
        Permissions permissions = raw.contains("inherit") ? owner
                : Permissions.expandForService(raw, service.name).intersect(owner, Identities::groupsOf);
        return new Caller(service.name, true, held.contains(Roles.ADMIN), Set.of(), permissions, token.id, false);
    }

    /**
     * A user signed in by IAP's assertion: they hold their roles' scopes. When the browser's IAP
     * cookie brought the assertion ({@code viaCookie}), changes need the XSRF token as with the
     * login cookie.
     */
    @Transactional
    public Caller signedIn(Identity identity, boolean viaCookie) {
        UserEntity user = accounts.signIn(identity);
        return new Caller(user.name, false, user.admin, user.groupNames(), ownerPermissions(user), null, viaCookie);
    }

    /**
     * What a user holds through their roles ({@code user}, {@code admin} for admins, and custom
     * roles) and through the shares with them now: a token's scopes are narrowed to this at every
     * request, so a revoked share ends what any token had through it.
     */
    public Permissions ownerPermissions(UserEntity user) {
        return roles.ownerPermissions(user, shares.scopesOf(user));
    }

    /** Every token may identify its owner, as JupyterHub's identify scopes. */
    static List<String> identifyScopes(String user) {
        return List.of("read:users:name!user=" + user, "read:users:groups!user=" + user);
    }

    public static Set<String> groupsOf(String userName) {
        return UserEntity.findByName(userName).map(UserEntity::groupNames).orElse(Set.of());
    }
}
