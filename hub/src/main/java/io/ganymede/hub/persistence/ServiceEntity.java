package io.ganymede.hub.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JupyterHub service: an application beside the hub, reached at {@code /services/<name>/},
 * that logs people in through the hub's OAuth and calls the API with its own tokens. Those of the
 * configuration are written back at every start ({@code fromConfig}); those created through the
 * API stay until deleted there.
 */
@Entity
@Table(name = "services")
public class ServiceEntity extends PanacheEntityBase {

    /** Characters of a service name (services.name). */
    public static final int NAME_LENGTH = 255;
    /** Characters of a service URL (services.url). */
    public static final int URL_LENGTH = 2048;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = NAME_LENGTH)
    public String name;

    @Column(name = "from_config", nullable = false)
    public boolean fromConfig;

    @Column(nullable = false)
    public boolean admin;

    /** Where the proxy sends {@code /services/<name>/}; null without a web endpoint. */
    @Column(length = URL_LENGTH)
    public String url;

    @Column(nullable = false)
    public boolean display = true;

    @Column(name = "oauth_no_confirm", nullable = false)
    public boolean oauthNoConfirm;

    /** An app without a login of its own: the proxy admits only browsers with the hub's access cookie. */
    @Column(name = "login_at_proxy", nullable = false)
    public boolean loginAtProxy;

    /** JupyterHub's free-form {@code info}, as a JSON object. */
    @Column(nullable = false)
    public String info = "{}";

    /** Names of the roles the service's definition gives it, as a JSON list. */
    @Column(nullable = false)
    public String roles = "[]";

    @Column(nullable = false)
    public Instant created;

    public static Optional<ServiceEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public Map<String, Object> infoObject() {
        return JsonColumns.object(info);
    }

    public List<String> roleList() {
        return JsonColumns.list(roles);
    }
}
