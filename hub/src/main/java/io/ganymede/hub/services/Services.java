package io.ganymede.hub.services;

import io.ganymede.hub.auth.Identities;
import io.ganymede.hub.persistence.JsonColumns;
import io.ganymede.hub.persistence.OAuthClientEntity;
import io.ganymede.hub.persistence.ServiceAppEntity;
import io.ganymede.hub.persistence.ServiceEntity;
import io.ganymede.hub.persistence.TokenEntity;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.RoleCatalog;
import io.ganymede.hub.scopes.Target;
import io.ganymede.hub.tokens.Secrets;
import io.ganymede.hub.tokens.TokenService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The services the hub knows, kept in the database as JupyterHub's {@code orm.Service}: those of
 * the configuration, written back at every start (and removed when no longer configured), and
 * those created through the API. Each has its API token and OAuth client, which go with it.
 */
@ApplicationScoped
public class Services {

    private static final Logger LOG = Logger.getLogger(Services.class);
    private static final String CONFIG_TOKEN_NOTE = "api_token from the service's configuration";

    private final ServicesConfig config;
    private final RoleCatalog roles;
    private final TokenService tokens;
    private final Clock clock;

    Services(ServicesConfig config, RoleCatalog roles, TokenService tokens, Clock clock) {
        this.config = config;
        this.roles = roles;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * As JupyterHub's {@code init_services}: every configured service is (re)written, configured
     * ones no longer configured are removed. A bad definition stops the start, with its reason.
     */
    void onStart(@Observes StartupEvent event) {
        Map<String, ServiceDefinition> configured = new TreeMap<>();
        config.all().forEach((name, spec) -> configured.put(name, fromConfig(name, spec)));
        try {
            QuarkusTransaction.requiringNew().run(() -> apply(configured));
        } catch (RuntimeException e) {
            // Replicas starting together write the same rows; the one that lost finds them now.
            LOG.infof("writing the configured services again after: %s", e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> apply(configured));
        }
    }

    private void apply(Map<String, ServiceDefinition> configured) {
        for (ServiceEntity stale : ServiceEntity.<ServiceEntity>list("fromConfig = true")) {
            if (!configured.containsKey(stale.name)) {
                LOG.infof("service %s is no longer configured: removed", stale.name);
                remove(stale);
            }
        }
        for (ServiceDefinition definition : configured.values()) {
            Optional<ServiceEntity> existing = ServiceEntity.findByName(definition.name());
            if (existing.isPresent() && !existing.get().fromConfig) {
                // As JupyterHub: configuration does not take over a service created through the API.
                LOG.errorf("service %s of the configuration is named like a service created through the API;"
                        + " delete that one to use the configured one", definition.name());
                continue;
            }
            ServiceEntity service = write(existing.orElseGet(ServiceEntity::new), definition, true);
            if (config.all().get(definition.name()).app().isPresent() && ServiceAppEntity.findByService(service.id).isEmpty()) {
                // The managed app's run starts stopped; the row is what starts lock on.
                ServiceAppEntity app = new ServiceAppEntity();
                app.serviceId = service.id;
                app.persist();
            }
        }
    }

    private ServiceDefinition fromConfig(String name, ServicesConfig.Spec spec) {
        try {
            ServiceDefinition definition = ServiceDefinition.fromConfig(name, spec);
            spec.app().ifPresent(app -> AppDefinition.fromConfig(name, app));
            if (reserved(name)) {
                throw new IllegalArgumentException("the name is the hub's admin token's");
            }
            for (String role : definition.roles()) {
                if (!roles.exists(role)) {
                    throw new IllegalArgumentException("no such role: " + role);
                }
            }
            oauthScopes(definition);
            return definition;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ganymede.services." + name + ": " + e.getMessage(), e);
        }
    }

    /** The managed app of a configured service, if it is one. */
    public Optional<AppDefinition> app(String name) {
        ServicesConfig.Spec spec = config.all().get(name);
        return spec == null ? Optional.empty() : spec.app().map(app -> AppDefinition.fromConfig(name, app));
    }

    /** Every managed app of the configuration, by name. */
    public Map<String, AppDefinition> apps() {
        Map<String, AppDefinition> apps = new TreeMap<>();
        config.all().forEach((name, spec) -> spec.app().ifPresent(app -> apps.put(name, AppDefinition.fromConfig(name, app))));
        return apps;
    }

    public List<ServiceEntity> all() {
        return ServiceEntity.list("order by name");
    }

    public Optional<ServiceEntity> find(String name) {
        return ServiceEntity.findByName(name);
    }

    /**
     * Creates a service from the API ({@code from_config} false).
     *
     * @throws ServiceDefinition.InvalidServiceException for an unknown role in its OAuth scopes, or a name taken
     */
    @Transactional
    public ServiceEntity create(ServiceDefinition definition) {
        if (find(definition.name()).isPresent()) {
            throw new IllegalStateException("Service " + definition.name() + " already exists");
        }
        return write(new ServiceEntity(), definition, false);
    }

    /** Deletes a service with its tokens, its OAuth client and the login tokens that client issued. */
    @Transactional
    public void delete(ServiceEntity service) {
        remove(ServiceEntity.findById(service.id));
    }

    private void remove(ServiceEntity service) {
        for (OAuthClientEntity client : OAuthClientEntity.<OAuthClientEntity>list("service", service)) {
            TokenEntity.delete("clientId = ?1 and kind = ?2", client.identifier, TokenEntity.Kind.oauth);
            client.delete();
        }
        TokenEntity.delete("service", service);
        service.delete();
    }

    private ServiceEntity write(ServiceEntity service, ServiceDefinition definition, boolean fromConfig) {
        if (service.id == null) {
            service.created = clock.instant();
        }
        service.name = definition.name();
        service.fromConfig = fromConfig;
        service.admin = definition.admin();
        service.url = definition.url();
        service.display = definition.display();
        service.oauthNoConfirm = definition.oauthNoConfirm();
        service.loginAtProxy = definition.loginAtProxy();
        service.info = JsonColumns.write(definition.info());
        service.roles = JsonColumns.writeList(definition.roles());
        service.persist();
        // The definition's token replaces what an earlier start stored; the API's stays until deleted.
        TokenEntity.delete("service = ?1 and note = ?2", service, CONFIG_TOKEN_NOTE);
        OAuthClientEntity.delete("service", service);
        if (definition.apiToken() != null) {
            tokens.storeServiceToken(service, definition.apiToken(), fromConfig ? CONFIG_TOKEN_NOTE : "api_token given at creation");
        }
        if (definition.oauth()) {
            if (definition.apiToken() == null) {
                LOG.warnf("service %s has no api_token: its OAuth client (%s) cannot log anyone in",
                        definition.name(), definition.oauthClientId());
            } else {
                OAuthClientEntity taken = OAuthClientEntity.findByIdentifier(definition.oauthClientId()).orElse(null);
                if (taken != null) {
                    throw new ServiceDefinition.InvalidServiceException("Service " + definition.name()
                            + ": OAuth client " + definition.oauthClientId() + " belongs to another service");
                }
                OAuthClientEntity client = new OAuthClientEntity();
                client.identifier = definition.oauthClientId();
                client.service = service;
                client.secretSalt = Secrets.newSalt();
                client.secretHash = Secrets.hash(client.secretSalt, definition.apiToken());
                client.redirectUri = definition.oauthRedirectUri();
                client.allowedScopeList(oauthScopes(definition));
                client.persist();
            }
        }
        return service;
    }

    /**
     * The scopes login tokens of the service's OAuth client carry, as JupyterHub gives them: the
     * allowed scopes (or, without them, the scopes of {@code oauth_roles}) and access to the service.
     */
    List<String> oauthScopes(ServiceDefinition definition) {
        Set<String> scopes = new LinkedHashSet<>(definition.oauthAllowedScopes());
        if (scopes.isEmpty()) {
            for (String role : definition.oauthRoles()) {
                if (!roles.exists(role)) {
                    throw new ServiceDefinition.InvalidServiceException("Service " + definition.name() + ": no such role in oauth_roles: " + role);
                }
                scopes.addAll(roles.scopes(role));
            }
        }
        scopes.add("access:services!service=" + definition.name());
        return new ArrayList<>(scopes);
    }

    /**
     * The services a person's pages link to, as JupyterHub's {@code get_accessible_services}: those
     * with a URL or a managed app behind {@code /services/<name>/}, shown ({@code display}), and
     * with {@code access:services} on them.
     */
    public List<ServiceEntity> accessible(Permissions permissions) {
        if (!permissions.holds("access:services")) {
            return List.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> ServiceEntity.<ServiceEntity>list("display = true order by name"))
                .stream().filter(s -> s.url != null || app(s.name).isPresent())
                .filter(s -> permissions.allows("access:services", Target.service(s.name))).toList();
    }

    /** The roles a service's tokens hold. */
    public List<String> rolesOf(ServiceEntity service) {
        return roles.rolesOfService(service.name, service.admin, service.roleList());
    }

    /** Whether a name is free for a service: not the hub's own admin token's. */
    public static boolean reserved(String name) {
        return Identities.ADMIN_SERVICE.equals(name);
    }
}
