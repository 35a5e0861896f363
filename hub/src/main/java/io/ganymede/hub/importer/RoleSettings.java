package io.ganymede.hub.importer;

import io.ganymede.hub.importer.JupyterHubData.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** JupyterHub's custom roles as Ganymede's settings: roles are configuration in Ganymede (JupyterHub's load_roles). */
final class RoleSettings {

    private RoleSettings() {}

    /** The custom roles as hub settings ({@code ganymede.auth.roles}, JupyterHub's load_roles). */
    static String yaml(List<Role> roles) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Role role : roles) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", role.name());
            // Copies: YAML would write one shared empty list as an alias.
            r.put("scopes", new ArrayList<>(role.scopes()));
            r.put("users", new ArrayList<>(role.users()));
            r.put("groups", new ArrayList<>(role.groups()));
            list.add(r);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return "# Custom roles imported from JupyterHub's database by import-jupyterhub (JupyterHub's load_roles).\n"
                + "# Give this file to the hub: QUARKUS_CONFIG_LOCATIONS=<this file>.\n"
                + new Yaml(options).dump(Map.of("ganymede", Map.of("auth", Map.of("roles", list))));
    }
}
