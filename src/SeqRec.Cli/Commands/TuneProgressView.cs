using System.Globalization;
using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Output;
using SeqRec.Tuning.Space;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SeqRec.Cli.Commands;

/// <summary>
/// Shows a study as it runs: a live table of the latest trials with progress and the current best on a terminal,
/// one line per trial when the output is redirected; then the ranked table of all trials.
/// </summary>
internal sealed class TuneProgressView(IAnsiConsole console, SearchSpace space, string validMetric, string storeLocation) : ITuneProgress
{
    private const int LiveRows = 15;
    private const int RankedRows = 10;

    private StudySnapshot? _snapshot;
    private readonly Dictionary<int, TrialRecord> _running = [];
    private string? _waiting;
    private Action _refresh = () => { };
    private string? _finishReason;

    public StudySnapshot Show(Func<ITuneProgress, StudySnapshot> run)
    {
        if (!console.Profile.Capabilities.Interactive) return run(this);
        StudySnapshot? final = null;
        console.Live(new Text("starting...")).AutoClear(false).Start(context =>
        {
            _refresh = () => context.UpdateTarget(LiveTable());
            final = run(this);
        });
        return final!;
    }

    public void StudyStarted(StudySnapshot snapshot)
    {
        _snapshot = snapshot;
        if (!console.Profile.Capabilities.Interactive)
        {
            var done = snapshot.Finished > 0 ? $", resuming after {snapshot.Finished} finished trial(s)" : "";
            console.WriteLine($"study '{snapshot.Study}' in {storeLocation}: {Planned(snapshot)} trial(s) planned{done}");
        }
        _refresh();
    }

    public void TrialStarted(TrialRecord trial, bool resumed)
    {
        _running[trial.Number] = trial;
        _waiting = null;
        if (resumed && !console.Profile.Capabilities.Interactive)
            console.WriteLine($"trial {trial.Number}: re-running (its worker stopped): {trial.Parameters.Describe()}");
        _refresh();
    }

    public void TrialFinished(TrialRecord trial, StudySnapshot snapshot)
    {
        _running.Remove(trial.Number);
        _snapshot = snapshot;
        if (!console.Profile.Capabilities.Interactive)
        {
            var outcome = trial.HasScore ? $"{validMetric} {Score(trial.BestValid)}" : $"failed: {trial.Error}";
            var best = snapshot.Best is { } b ? $"best {Score(b.BestValid)} (#{b.Number})" : "no score yet";
            console.WriteLine($"[{snapshot.Finished}/{Planned(snapshot)}] trial {trial.Number}: {outcome} ({trial.Parameters.Describe()}) {Seconds(trial)}  {best}");
        }
        _refresh();
    }

    public void Waiting(string reason)
    {
        if (_waiting != reason && !console.Profile.Capabilities.Interactive) console.WriteLine($"waiting: {reason}");
        _waiting = reason;
        _refresh();
    }

    public void StudyFinished(StudySnapshot snapshot, string reason)
    {
        _snapshot = snapshot;
        _finishReason = reason;
        _refresh();
    }

    public void PrintSummary(StudySnapshot snapshot, StudyOutput output)
    {
        // Printed after the live display has ended: writing while it is drawn would tear the table.
        console.WriteLine($"study '{snapshot.Study}' finished: {_finishReason}");
        var ranked = snapshot.Ranked.Where(t => t.IsFinished).ToList();
        var table = TrialTable($"Best {Math.Min(RankedRows, ranked.Count)} of {ranked.Count} trials, by {validMetric}", ranked.Take(RankedRows), withRank: true);
        console.Write(table);
        if (snapshot.Best is { } best)
        {
            console.WriteLine($"best: trial {best.Number}, {validMetric} {Score(best.BestValid)}: {best.Parameters.Describe()}");
            if (best.Test.Count > 0)
                console.WriteLine("test: " + string.Join(", ", best.Test.Select(m => $"{m.Key} {Score(m.Value)}")));
            console.WriteLine($"best configuration: {output.BestConfigPath}");
        }
        else
        {
            console.WriteLine("no trial produced a valid score");
        }
        console.WriteLine($"all trials: {Path.Combine(output.Directory, StudyOutput.CsvFile)}, {Path.Combine(output.Directory, StudyOutput.JsonFile)}");
    }

    private IRenderable LiveTable()
    {
        var snapshot = _snapshot;
        if (snapshot is null) return new Text("starting...");
        var latest = snapshot.Trials.Where(t => t.IsFinished).OrderByDescending(t => t.FinishedAt).Take(LiveRows).Reverse();
        var table = TrialTable(Header(snapshot), latest.Concat(_running.Values), withRank: false);
        if (_waiting is not null) table.Caption = new TableTitle(Markup.Escape("waiting: " + _waiting));
        return table;
    }

    private string Header(StudySnapshot snapshot)
    {
        var best = snapshot.Best is { } b ? $"best {validMetric} {Score(b.BestValid)} (#{b.Number})" : "no score yet";
        var failed = snapshot.Failed > 0 ? $", {snapshot.Failed} failed" : "";
        return $"study '{snapshot.Study}': {snapshot.Finished}/{Planned(snapshot)} done{failed}, {best}";
    }

    private Table TrialTable(string title, IEnumerable<TrialRecord> trials, bool withRank)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        if (withRank) table.AddColumn("rank");
        table.AddColumns("#", "status");
        foreach (var domain in space.Domains) table.AddColumn(Markup.Escape(domain.Key));
        table.AddColumns(Markup.Escape(validMetric), "time", "error");
        var rank = 0;
        foreach (var trial in trials)
        {
            var cells = new List<string>();
            if (withRank) cells.Add(trial.HasScore ? (++rank).ToString(CultureInfo.InvariantCulture) : "");
            cells.Add(trial.Number.ToString(CultureInfo.InvariantCulture));
            cells.Add(trial.Status.ToString().ToLowerInvariant());
            cells.AddRange(trial.Parameters.Values.Select(v => ParamValues.Canonical(v.Value)));
            cells.Add(Score(trial.BestValid));
            cells.Add(trial.IsFinished ? Seconds(trial) : "");
            cells.Add(trial.Error is { } e ? (e.Length > 60 ? e[..60] + "..." : e) : "");
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        return table;
    }

    private static string Planned(StudySnapshot snapshot) => snapshot.Planned?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Score(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Seconds(TrialRecord trial) => trial.Duration is { } d ? d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s" : "";
}
