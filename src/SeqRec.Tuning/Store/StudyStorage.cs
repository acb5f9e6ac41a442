using Microsoft.Data.Sqlite;
using Npgsql;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Store;

/// <summary>
/// Opens a study from a <c>--storage</c> string: <c>sqlite:path/study.db</c> or a plain path (SQLite), or
/// <c>postgres://user:password@host:port/database</c> or an Npgsql connection string (<c>Host=...;Database=...</c>).
/// </summary>
public static class StudyStorage
{
    public static IStudyStore Open(string storage, string study, SearchSpace space, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(study)) throw new SeqRecException("--study: the study name is empty");
        try
        {
            if (TryPostgres(storage) is { } postgres)
            {
                var location = new NpgsqlConnectionStringBuilder(postgres) { Password = null }.ToString();
                return new SqlStudyStore(new PostgresDialect(), postgres, "postgres " + location, study, space, now);
            }
            var path = Path.GetFullPath(storage.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? storage["sqlite:".Length..] : storage);
            if (Path.GetDirectoryName(path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
            var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
            return new SqlStudyStore(new SqliteDialect(), connection, path, study, space, now);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or IOException)
        {
            throw new SeqRecException($"--storage {Redact(storage)}: cannot open the study store: {e.Message}", e);
        }
    }

    /// <summary>An Npgsql connection string when <paramref name="storage"/> names a PostgreSQL database, else null.</summary>
    public static string? TryPostgres(string storage)
    {
        if (storage.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || storage.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(storage);
            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            };
            var user = uri.UserInfo.Split(':', 2);
            if (user[0].Length > 0) builder.Username = Uri.UnescapeDataString(user[0]);
            if (user.Length > 1) builder.Password = Uri.UnescapeDataString(user[1]);
            return builder.ToString();
        }
        return storage.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? storage : null;
    }

    private static string Redact(string storage) =>
        System.Text.RegularExpressions.Regex.Replace(storage, "(://[^:/@]*:)[^@]*@|(Password=)[^;]*", m => m.Groups[1].Success ? m.Groups[1].Value + "***@" : m.Groups[2].Value + "***",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
}
