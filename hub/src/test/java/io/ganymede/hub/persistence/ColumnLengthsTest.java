package io.ganymede.hub.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.Column;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Table;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text lengths the API checks come from the entities' constants, which their {@code @Column}
 * lengths use too; the schema itself is Flyway's. This keeps the two in step: every text column of
 * bounded length is as long in the database as its entity says.
 */
@QuarkusTest
class ColumnLengthsTest {

    private static final List<Class<?>> ENTITIES = List.of(UserEntity.class, GroupEntity.class, ServerEntity.class,
            TokenEntity.class, OAuthClientEntity.class, OAuthCodeEntity.class, ScheduleEntity.class,
            ShareEntity.class, ShareCodeEntity.class);

    @Inject
    EntityManager em;

    @Test
    void everyBoundedTextColumnIsAsLongAsItsEntitySays() {
        List<String> checked = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Class<?> entity : ENTITIES) {
                String table = entity.getAnnotation(Table.class).name();
                for (Field field : entity.getDeclaredFields()) {
                    Column column = field.getAnnotation(Column.class);
                    boolean text = field.getType() == String.class || field.getType().isEnum();
                    if (!text || java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    String name = column == null || column.name().isEmpty() ? field.getName() : column.name();
                    Object[] row = (Object[]) em.createNativeQuery("select data_type, character_maximum_length"
                                    + " from information_schema.columns where lower(table_name) = ?1 and lower(column_name) = ?2")
                            .setParameter(1, table.toLowerCase()).setParameter(2, name.toLowerCase()).getSingleResult();
                    String type = String.valueOf(row[0]).toLowerCase();
                    if (!type.contains("varying") || ((Number) row[1]).longValue() > 1_000_000) {
                        continue; // TEXT (H2 has it as a huge VARCHAR): nothing to check against
                    }
                    assertEquals(((Number) row[1]).longValue(), column == null ? 255 : column.length(),
                            entity.getSimpleName() + "." + field.getName() + " (" + table + "." + name + ")");
                    checked.add(table + "." + name);
                }
            }
        });
        assertFalse(checked.isEmpty());
        assertEquals(true, checked.containsAll(List.of("users.name", "user_groups.name", "api_tokens.note",
                "schedules.cron", "schedules.time_zone", "oauth_clients.identifier", "share_codes.code_hash")), checked.toString());
    }
}
