using System.Data.Common;

namespace SeqRec.Tuning.Store;

/// <summary>Everything that differs between the SQL databases a study can live in; the rest of the SQL is shared.</summary>
internal interface ISqlDialect
{
    DbConnection Open(string connectionString);

    /// <summary>The column type of a double (REAL in SQLite, DOUBLE PRECISION in PostgreSQL).</summary>
    string RealType { get; }

    /// <summary>Run first in a claim transaction so claims of all workers are serialised; null when beginning the transaction suffices.</summary>
    string? LockForClaimSql { get; }

    /// <summary>Run first in the schema transaction, so workers starting together do not race to create tables.</summary>
    string? LockForSchemaSql { get; }

    bool IsUniqueViolation(DbException exception);
}
