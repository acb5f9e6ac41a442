using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SeqRec.Tuning.Store;

/// <summary>
/// SQLite, for workers on one machine. Microsoft.Data.Sqlite begins transactions with BEGIN IMMEDIATE, which takes
/// the database's write lock at once, so a claim's read-decide-insert cannot interleave with another worker's.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    private const int SqliteConstraint = 19;

    public string RealType => "REAL";

    public string? LockForClaimSql => null;

    public string? LockForSchemaSql => null;

    public DbConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // WAL lets readers (reports, other workers' loads) proceed while one worker commits; busy_timeout makes a
        // worker wait for the write lock instead of failing with SQLITE_BUSY.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    public bool IsUniqueViolation(DbException exception) => exception is SqliteException { SqliteErrorCode: SqliteConstraint };
}
