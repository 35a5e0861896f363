package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** profiles.schema.json names exactly the keys the validator accepts, so editors and the hub agree. */
class ProfilesSchemaTest {

    static final JsonNode SCHEMA;

    static {
        try {
            SCHEMA = new ObjectMapper().readTree(Path.of("../profiles/profiles.schema.json").toFile());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> keys(JsonNode properties) {
        Set<String> out = new TreeSet<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void overrideKeys() {
        assertEquals(new TreeSet<>(OverrideKeys.KEYS.keySet()), keys(SCHEMA.at("/$defs/override/properties")));
    }

    @Test
    void profileKeys() throws Exception {
        var f = ProfileParser.class.getDeclaredField("PROFILE_KEYS");
        f.setAccessible(true);
        assertEquals(new TreeSet<>((Set<?>) f.get(null)), keys(SCHEMA.at("/$defs/profile/properties")));
    }
}
