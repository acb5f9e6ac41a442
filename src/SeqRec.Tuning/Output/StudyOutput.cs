using System.Globalization;
using System.Text;
using System.Text.Json;
using SeqRec.Runs;
using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;
using SeqRec.Tuning.Store;

namespace SeqRec.Tuning.Output;

/// <summary>
/// The files of a study's output folder, rewritten (atomically) after every trial: <c>study.csv</c> and
/// <c>study.json</c> (every trial: parameters, status, scores, metrics, timing) and <c>best.toml</c>.
/// </summary>
public sealed class StudyOutput(string directory, SearchSpace space, StudyBase studyBase)
{
    public const string CsvFile = "study.csv";
    public const string JsonFile = "study.json";
    public const string BestConfigFile = "best.toml";

    public string Directory => directory;

    public string BestConfigPath => Path.Combine(directory, BestConfigFile);

    public void Write(StudySnapshot snapshot)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, CsvFile), Csv(snapshot));
        AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), Json(snapshot));
        if (snapshot.Best is { } best) AtomicFile.WriteAllText(BestConfigPath, BestConfigWriter.Render(studyBase, best, snapshot.Study));
    }

    public string Csv(StudySnapshot snapshot)
    {
        var validKeys = snapshot.Trials.SelectMany(t => t.Valid.Keys).Distinct().ToList();
        var testKeys = snapshot.Trials.SelectMany(t => t.Test.Keys).Distinct().ToList();
        var header = new[] { "rank", "number", "status", "best_valid" }
            .Concat(space.Domains.Select(d => d.Path))
            .Concat(validKeys.Select(k => "valid:" + k))
            .Concat(testKeys.Select(k => "test:" + k))
            .Concat(["duration_s", "run_dir", "worker", "started_at", "finished_at", "error"]);
        var text = new StringBuilder().AppendJoin(',', header.Select(Escape)).Append('\n');
        var rank = 0;
        foreach (var trial in snapshot.Ranked)
        {
            var cells = new List<string>
            {
                trial.HasScore ? (++rank).ToString(CultureInfo.InvariantCulture) : "",
                trial.Number.ToString(CultureInfo.InvariantCulture),
                SqlStudyStore.StatusText(trial.Status),
                Number(trial.BestValid),
            };
            cells.AddRange(trial.Parameters.Values.Select(v => ParamValues.Canonical(v.Value)));
            cells.AddRange(validKeys.Select(k => Number(trial.Valid.TryGetValue(k, out var v) ? v : null)));
            cells.AddRange(testKeys.Select(k => Number(trial.Test.TryGetValue(k, out var v) ? v : null)));
            cells.Add(Number(trial.Duration?.TotalSeconds));
            cells.Add(trial.RunDirectory ?? "");
            cells.Add(trial.Worker);
            cells.Add(Time(trial.StartedAt));
            cells.Add(trial.FinishedAt is { } f ? Time(f) : "");
            cells.Add(trial.Error ?? "");
            text.AppendJoin(',', cells.Select(Escape)).Append('\n');
        }
        return text.ToString();
    }

    public string Json(StudySnapshot snapshot)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("study", snapshot.Study);
            json.WriteString("params_file", space.Origin);
            json.WriteString("search_space", space.Signature);
            if (snapshot.Planned is { } planned) json.WriteNumber("planned", planned);
            json.WriteNumber("finished", snapshot.Finished);
            json.WriteNumber("failed", snapshot.Failed);
            if (snapshot.Best is { } best)
            {
                json.WritePropertyName("best");
                WriteTrial(json, best);
            }
            json.WriteStartArray("trials");
            foreach (var trial in snapshot.Trials) WriteTrial(json, trial);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteTrial(Utf8JsonWriter json, TrialRecord trial)
    {
        json.WriteStartObject();
        json.WriteNumber("number", trial.Number);
        json.WriteString("status", SqlStudyStore.StatusText(trial.Status));
        WriteNumber(json, "best_valid", trial.BestValid);
        json.WritePropertyName("parameters");
        using (var parameters = JsonDocument.Parse(trial.Parameters.ToJson())) parameters.WriteTo(json);
        WriteMetrics(json, "valid", trial.Valid);
        WriteMetrics(json, "test", trial.Test);
        WriteNumber(json, "duration_s", trial.Duration?.TotalSeconds);
        json.WriteString("run_dir", trial.RunDirectory);
        json.WriteString("worker", trial.Worker);
        json.WriteString("started_at", Time(trial.StartedAt));
        json.WriteString("finished_at", trial.FinishedAt is { } f ? Time(f) : null);
        json.WriteString("error", trial.Error);
        json.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, double> metrics)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in metrics) WriteNumber(json, key, value);
        json.WriteEndObject();
    }

    // JSON has no NaN: a non-finite metric is written as null.
    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
