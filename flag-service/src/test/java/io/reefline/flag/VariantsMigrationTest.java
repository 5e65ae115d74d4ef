package io.reefline.flag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V3 moves variants to each environment's configuration without changing what anything evaluates to: data written
 * under V2 (in a schema of its own, so the service's tables are untouched) keeps its variants in every environment.
 */
@QuarkusTest
class VariantsMigrationTest {

    private static final String SCHEMA = "v3_migration_check";

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    @Test
    void shouldCopyEveryFlagsVariantsIntoEachOfItsEnvironments() throws Exception {
        flyway("2").migrate();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("insert into " + SCHEMA
                    + ".environment (key, name, created_at) values ('staging', 'Staging', now()),"
                    + " ('production', 'Production', now())");
            statement.execute("insert into " + SCHEMA
                    + ".flag (key, name, type, variants, default_variant, owner, created_at) values"
                    + " ('dark-mode', 'Dark mode', 'boolean', '{\"on\": true, \"off\": false}', 'off', 'otto', now()),"
                    + " ('limit', 'Limit', 'number', '{\"low\": 1, \"high\": 2.5}', 'low', 'otto', now())");
            statement.execute("insert into " + SCHEMA
                    + ".flag_environment (id, flag_key, environment_key, enabled, default_variant,"
                    + " targeting_kind, updated_at) values"
                    + " (1, 'dark-mode', 'staging', true, 'on', 'none', now()),"
                    + " (2, 'dark-mode', 'production', false, 'off', 'none', now()),"
                    + " (3, 'limit', 'production', true, null, 'none', now())");
        }

        flyway(null).migrate();

        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery("select flag_key, environment_key, variants::text, default_variant,"
                    + " metadata, warnings::text from " + SCHEMA + ".flag_environment order by id");
            StringBuilder seen = new StringBuilder();
            while (rows.next()) {
                seen.append(rows.getString(1))
                        .append(' ')
                        .append(rows.getString(2))
                        .append(' ')
                        .append(rows.getString(3))
                        .append(' ')
                        .append(rows.getString(4))
                        .append(' ')
                        .append(rows.getString(5))
                        .append(' ')
                        .append(rows.getString(6))
                        .append('\n');
            }
            assertEquals("""
                    dark-mode staging {"on": true, "off": false} on null []
                    dark-mode production {"on": true, "off": false} off null []
                    limit production {"low": 1, "high": 2.5} null null []
                    """, seen.toString());
        }
    }

    private Flyway flyway(String target) {
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }
}
