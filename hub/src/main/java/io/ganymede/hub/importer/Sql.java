package io.ganymede.hub.importer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reading rows over plain JDBC, for both databases of an import. */
final class Sql {

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private Sql() {}

    static void query(Connection db, String sql, Row row) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        }
    }
}
