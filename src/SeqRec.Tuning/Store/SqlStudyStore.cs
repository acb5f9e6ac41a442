using System.Data;
using System.Data.Common;
using System.Globalization;
using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Store;

/// <summary>
/// A study in a SQL database (SQLite or PostgreSQL through <see cref="ISqlDialect"/>). One row per trial, keyed by
/// (study, number) and unique on (study, parameters hash), so no two workers ever hold the same point. A trial's
/// row is inserted as 'running' when claimed and updated once when it finishes. Thread-safe: the heartbeat timer
/// and the worker share the connection under a lock.
/// </summary>
internal sealed class SqlStudyStore : IStudyStore
{
    public const string StudiesTable = "seqrec_studies";
    public const string TrialsTable = "seqrec_trials";

    private const string Columns = "number, params_json, status, best_valid, valid_json, test_json, error, duration_s, run_dir, worker, started_at, finished_at, heartbeat_at";

    private readonly ISqlDialect _dialect;
    private readonly DbConnection _connection;
    private readonly string _study;
    private readonly SearchSpace _space;
    private readonly Lock _gate = new();

    public SqlStudyStore(ISqlDialect dialect, string connectionString, string location, string study, SearchSpace space, DateTimeOffset now)
    {
        _dialect = dialect;
        _study = study;
        _space = space;
        Location = location;
        _connection = dialect.Open(connectionString);
        EnsureSchemaAndStudy(now);
    }

    public string Location { get; }

    public ClaimOutcome Claim(string worker, TimeSpan lease, DateTimeOffset now, Func<IReadOnlyList<TrialRecord>, int, ClaimDecision> decide)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            if (_dialect.LockForClaimSql is { } lockSql) Execute(transaction, lockSql);
            var trials = LoadTrials(transaction);

            var stale = trials.Where(t => t.Status == TrialStatus.Running && t.HeartbeatAt + lease < now).MinBy(t => t.Number);
            if (stale is not null)
            {
                Execute(transaction, $"UPDATE {TrialsTable} SET worker = @worker, started_at = @now, heartbeat_at = @now WHERE study = @study AND number = @number",
                    ("worker", worker), ("now", Time(now)), ("number", stale.Number));
                transaction.Commit();
                return new ClaimOutcome.Claimed(stale with { Worker = worker, StartedAt = now, HeartbeatAt = now }, Resumed: true);
            }

            var number = trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1;
            switch (decide(trials, number))
            {
                case ClaimDecision.Start start:
                    var trial = new TrialRecord
                    {
                        Number = number,
                        Parameters = start.Parameters,
                        Status = TrialStatus.Running,
                        Worker = worker,
                        StartedAt = now,
                        HeartbeatAt = now,
                    };
                    try
                    {
                        Execute(transaction,
                            $"INSERT INTO {TrialsTable} (study, number, params_hash, params_json, status, worker, started_at, heartbeat_at) " +
                            "VALUES (@study, @number, @hash, @params, @status, @worker, @now, @now)",
                            ("number", number), ("hash", start.Parameters.Hash), ("params", start.Parameters.ToJson()),
                            ("status", StatusText(TrialStatus.Running)), ("worker", worker), ("now", Time(now)));
                        transaction.Commit();
                    }
                    catch (DbException e) when (_dialect.IsUniqueViolation(e))
                    {
                        // The claim lock makes this unreachable for well-behaved workers; a worker of another version
                        // might still race. The unique key kept the study consistent: ask again after a pause.
                        transaction.Rollback();
                        return new ClaimOutcome.Wait($"trial {number} or its parameters were taken by another worker");
                    }
                    return new ClaimOutcome.Claimed(trial, Resumed: false);
                case ClaimDecision.Wait wait:
                    transaction.Rollback();
                    return new ClaimOutcome.Wait(wait.Reason);
                case ClaimDecision.Stop stop:
                    transaction.Rollback();
                    return new ClaimOutcome.Stop(stop.Reason);
                default:
                    throw new InvalidOperationException("unknown claim decision");
            }
        }
    }

    public void Heartbeat(int number, string worker, DateTimeOffset now)
    {
        lock (_gate)
        {
            Execute(null, $"UPDATE {TrialsTable} SET heartbeat_at = @now WHERE study = @study AND number = @number AND worker = @worker AND status = @running",
                ("now", Time(now)), ("number", number), ("worker", worker), ("running", StatusText(TrialStatus.Running)));
        }
    }

    public void Finish(TrialRecord finished)
    {
        lock (_gate)
        {
            Execute(null,
                $"UPDATE {TrialsTable} SET status = @status, best_valid = @best, valid_json = @valid, test_json = @test, error = @error, " +
                "duration_s = @duration, run_dir = @run_dir, worker = @worker, finished_at = @finished, heartbeat_at = NULL " +
                "WHERE study = @study AND number = @number AND status = @running",
                ("status", StatusText(finished.Status)), ("best", finished.BestValid), ("valid", MetricsJson.Write(finished.Valid)),
                ("test", MetricsJson.Write(finished.Test)), ("error", finished.Error), ("duration", finished.Duration?.TotalSeconds),
                ("run_dir", finished.RunDirectory), ("worker", finished.Worker), ("finished", finished.FinishedAt is { } f ? Time(f) : null),
                ("number", finished.Number), ("running", StatusText(TrialStatus.Running)));
        }
    }

    public void Release(int number, string worker)
    {
        lock (_gate)
        {
            Execute(null, $"UPDATE {TrialsTable} SET heartbeat_at = @expired WHERE study = @study AND number = @number AND worker = @worker AND status = @running",
                ("expired", Time(DateTimeOffset.UnixEpoch)), ("number", number), ("worker", worker), ("running", StatusText(TrialStatus.Running)));
        }
    }

    public IReadOnlyList<TrialRecord> Load()
    {
        lock (_gate) return LoadTrials(null);
    }

    public void Dispose() => _connection.Dispose();

    private void EnsureSchemaAndStudy(DateTimeOffset now)
    {
        using var transaction = _connection.BeginTransaction();
        if (_dialect.LockForSchemaSql is { } lockSql) Execute(transaction, lockSql);
        Execute(transaction, $"CREATE TABLE IF NOT EXISTS {StudiesTable} (name TEXT PRIMARY KEY, signature TEXT NOT NULL, created_at TEXT NOT NULL)");
        Execute(transaction,
            $"CREATE TABLE IF NOT EXISTS {TrialsTable} (study TEXT NOT NULL, number INTEGER NOT NULL, params_hash TEXT NOT NULL, " +
            $"params_json TEXT NOT NULL, status TEXT NOT NULL, best_valid {_dialect.RealType}, valid_json TEXT, test_json TEXT, error TEXT, " +
            $"duration_s {_dialect.RealType}, run_dir TEXT, worker TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, heartbeat_at TEXT, " +
            "PRIMARY KEY (study, number), UNIQUE (study, params_hash))");
        Execute(transaction, $"INSERT INTO {StudiesTable} (name, signature, created_at) VALUES (@study, @signature, @now) ON CONFLICT (name) DO NOTHING",
            ("signature", _space.Signature), ("now", Time(now)));
        var stored = Scalar(transaction, $"SELECT signature FROM {StudiesTable} WHERE name = @study") as string;
        transaction.Commit();
        if (stored != _space.Signature)
            throw new SeqRecException($"{Location}: study '{_study}' was created with another search space ({stored}); this params file ({_space.Origin}) gives {_space.Signature}. Use another --study name.");
    }

    private List<TrialRecord> LoadTrials(DbTransaction? transaction)
    {
        using var command = Command(transaction, $"SELECT {Columns} FROM {TrialsTable} WHERE study = @study ORDER BY number");
        using var reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
        {
            trials.Add(new TrialRecord
            {
                Number = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                Parameters = ParamAssignment.FromJson(reader.GetString(1), _space),
                Status = ParseStatus(reader.GetString(2)),
                BestValid = reader.IsDBNull(3) ? null : reader.GetDouble(3),
                Valid = reader.IsDBNull(4) ? new Dictionary<string, double>() : MetricsJson.Read(reader.GetString(4)),
                Test = reader.IsDBNull(5) ? new Dictionary<string, double>() : MetricsJson.Read(reader.GetString(5)),
                Error = reader.IsDBNull(6) ? null : reader.GetString(6),
                Duration = reader.IsDBNull(7) ? null : TimeSpan.FromSeconds(reader.GetDouble(7)),
                RunDirectory = reader.IsDBNull(8) ? null : reader.GetString(8),
                Worker = reader.GetString(9),
                StartedAt = ParseTime(reader.GetString(10)),
                FinishedAt = reader.IsDBNull(11) ? null : ParseTime(reader.GetString(11)),
                HeartbeatAt = reader.IsDBNull(12) ? null : ParseTime(reader.GetString(12)),
            });
        }
        return trials;
    }

    private void Execute(DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private object? Scalar(DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private DbCommand Command(DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        AddParameter(command, "study", _study);
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null) parameter.DbType = DbType.String;
        command.Parameters.Add(parameter);
    }

    // Fixed-width UTC text sorts and compares the same in every database.
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    internal static string StatusText(TrialStatus status) => status switch
    {
        TrialStatus.Running => "running",
        TrialStatus.Ok => "ok",
        _ => "failed",
    };

    private static TrialStatus ParseStatus(string text) => text switch
    {
        "running" => TrialStatus.Running,
        "ok" => TrialStatus.Ok,
        _ => TrialStatus.Failed,
    };
}
