import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Prints how many rows and distinct custom_ids the Parquet files of a folder hold, as DuckDB reads them:
 * {@code java -cp duckdb_jdbc.jar scripts/ParquetIds.java DIR}. The standalone-cluster check uses it to show
 * that every id ended exactly once after a failover.
 */
public final class ParquetIds {
    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT custom_id) FROM read_parquet('"
                        + args[0] + "/*.parquet')")) {
            rs.next();
            System.out.println("rows=" + rs.getLong(1) + " ids=" + rs.getLong(2));
        }
    }
}
