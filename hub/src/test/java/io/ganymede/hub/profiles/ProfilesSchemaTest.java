package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * profiles.schema.json names exactly the keys and values the validator accepts, so editors and the
 * hub agree: the key sets and enums are compared with the parser's, and the schema itself is run
 * (networknt's 2020-12 validator) on the example and on broken files.
 */
class ProfilesSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode SCHEMA;
    static final JsonSchema VALIDATOR;

    static {
        try {
            SCHEMA = JSON.readTree(Path.of("../profiles/profiles.schema.json").toFile());
            VALIDATOR = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> keys(JsonNode properties) {
        Set<String> out = new TreeSet<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @SuppressWarnings("unchecked")
    static Set<String> parserKeys(String field) throws Exception {
        var f = ProfileParser.class.getDeclaredField(field);
        f.setAccessible(true);
        return new TreeSet<>((Set<String>) f.get(null));
    }

    static Set<String> enumOf(String pointer) {
        Set<String> out = new TreeSet<>();
        SCHEMA.at(pointer).forEach(v -> {
            if (!v.isNull()) {
                out.add(v.asText());
            }
        });
        return out;
    }

    @Test
    void overrideKeys() {
        assertEquals(new TreeSet<>(OverrideKeys.KEYS.keySet()), keys(SCHEMA.at("/$defs/override/properties")));
    }

    @Test
    void everyOtherKeySet() throws Exception {
        assertEquals(parserKeys("TOP_KEYS"), keys(SCHEMA.at("/properties")));
        assertEquals(parserKeys("PROFILE_KEYS"), keys(SCHEMA.at("/$defs/profile/properties")));
        assertEquals(parserKeys("OPTION_KEYS"), keys(SCHEMA.at("/$defs/option/properties")));
        assertEquals(parserKeys("CHOICE_KEYS"), keys(SCHEMA.at("/$defs/option/properties/choices/additionalProperties/properties")));
        assertEquals(parserKeys("UNLISTED_KEYS"), keys(SCHEMA.at("/$defs/option/properties/unlisted_choice/properties")));
        assertEquals(parserKeys("CULL_KEYS"), keys(SCHEMA.at("/$defs/profile/properties/cull/properties")));
        assertEquals(parserKeys("SIDECAR_KEYS"), keys(SCHEMA.at("/$defs/storage/oneOf/3/properties/sidecar/properties")));
    }

    /** Each storage kind's branch of the schema allows exactly the keys the parser allows for that kind. */
    @Test
    void storageKeysPerKind() throws Exception {
        var f = ProfileParser.class.getDeclaredField("STORAGE_KEYS_BY_KIND");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<StorageKind, Set<String>> byKind = (Map<StorageKind, Set<String>>) f.get(null);
        JsonNode branches = SCHEMA.at("/$defs/storage/oneOf");
        assertEquals(StorageKind.values().length, branches.size());
        for (JsonNode branch : branches) {
            StorageKind kind = StorageKind.byId(branch.at("/properties/kind/const").asText()).orElseThrow();
            assertEquals(new TreeSet<>(byKind.get(kind)), keys(branch.get("properties")), kind.id());
        }
    }

    @Test
    void enumsMatchTheCode() {
        assertEquals(Arrays.stream(AppKind.values()).map(AppKind::id).collect(Collectors.toCollection(TreeSet::new)),
                enumOf("/$defs/profile/properties/app/enum"));
        assertEquals(Arrays.stream(StorageKind.values()).map(StorageKind::id).collect(Collectors.toCollection(TreeSet::new)),
                enumOf("/$defs/storage/properties/kind/enum"));
        assertEquals(new TreeSet<>(OverrideKeys.PULL_POLICIES), enumOf("/$defs/override/properties/image_pull_policy/enum"));
    }

    static Set<ValidationMessage> validate(String yaml) {
        Object doc = new Yaml().load(yaml);
        return VALIDATOR.validate(JSON.valueToTree(doc));
    }

    @Test
    void theRepositoryExamplePassesTheSchema() throws Exception {
        String text = Files.readString(Path.of("../profiles/profiles.yaml"));
        assertEquals(Set.of(), validate(text));
        assertTrue(ProfileParser.parse(text, "profiles.yaml").ok());
    }

    /** Files the validator refuses for their shape: the schema refuses them too. */
    @ParameterizedTest
    @ValueSource(strings = {
        "profiles:\n  - display_name: Small\n    kubespawner_override:\n      mem_limt: 4G\n",
        "profiles:\n  - display_name: Small\n    kubespawner_override:\n      mem_limit: 4GG\n",
        "profiles:\n  - display_name: Small\n    override:\n      cpu_limit: two\n",
        "profiles:\n  - display_name: GPU\n    override:\n      extra_resource_limits: {nvidia.com/gpu: one}\n",
        "profiles:\n  - display_name: Small\n    storage: {kind: nfs}\n",
        "profiles:\n  - display_name: Small\n    storage: {kind: pd, bucket: x}\n",
        "profiles:\n  - display_name: Small\n    storage: {size: 10Gi}\n",
        "profiles:\n  - display_name: Small\n    app: jupyter\n",
        "profiles:\n  - display_name: Small\n    slug: GPU T4\n",
        "profiles:\n  - display_name: Small\n    descripton: typo\n",
        "profiles:\n  - display_name: Small\n    groups: ml\n",
        "profiles:\n  - display_name: Small\n    cull: {timeout: -5}\n",
        "profiles:\n  - display_name: Small\n    kubespawner_override: {image: a}\n    override: {image: b}\n",
        "profiles:\n  - display_name: Small\n    override: {image_pull_policy: always}\n",
        "profiles:\n  - slug: x\n",
        "profiles: {}\n",
    })
    void brokenShapesAreRefusedByBoth(String yaml) {
        assertFalse(ProfileParser.parse(yaml, "p.yaml").ok(), "the validator accepts:\n" + yaml);
        assertFalse(validate(yaml).isEmpty(), "the schema accepts:\n" + yaml);
    }
}
