using System.Data.Common;
using Npgsql;

namespace SeqRec.Tuning.Store;

/// <summary>PostgreSQL, for workers on several machines. Claims are serialised by an exclusive table lock (reads still pass).</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    // Any constant works; it only has to be the same in every worker.
    private const long SchemaLockKey = 0x5EC7EC_7011E;

    public string RealType => "DOUBLE PRECISION";

    public string? LockForClaimSql => $"LOCK TABLE {SqlStudyStore.TrialsTable} IN EXCLUSIVE MODE";

    public string? LockForSchemaSql => $"SELECT pg_advisory_xact_lock({SchemaLockKey})";

    public DbConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    public bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
