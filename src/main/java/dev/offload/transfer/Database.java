package dev.offload.transfer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a resource's table lives: the service's own database, or another a resource names. Each job opens its
 * own connection for as long as it runs (a COPY and a transaction of a whole file), never one of the engine's.
 */
public record Database(String url, String user, String password, boolean own) {

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "offload-transfer");
        Connection connection = new org.postgresql.Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url.replaceAll("//[^/@]*@", "//"));
        }
        return connection;
    }

    @Override
    public String toString() {
        return own ? "the service's database" : url.replaceAll("//[^/@]*@", "//");
    }
}
