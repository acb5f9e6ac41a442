using System.Diagnostics;
using System.Globalization;
using SeqRec.Evaluation;
using SeqRec.Training;
using Spectre.Console;

namespace SeqRec.Cli.Display;

/// <summary>
/// The console view of a training run: on a terminal, a progress bar per epoch (batches, loss, samples/s) redrawn in
/// place; everywhere, one line per epoch and per evaluation, and a final table of the valid and test metrics.
/// </summary>
internal sealed class ConsoleTrainingObserver(IAnsiConsole console, bool interactive) : ITrainingObserver
{
    private const int BarWidth = 30;
    private readonly PlainTextTrainingObserver _lines = new(new ConsoleLineWriter(console));
    private readonly Stopwatch _sinceRedraw = Stopwatch.StartNew();
    private bool _barShown;

    public void TrainingStarted(TrainingStart start) => _lines.TrainingStarted(start);

    public void BatchCompleted(BatchProgress progress)
    {
        if (!interactive || (_sinceRedraw.ElapsedMilliseconds < 100 && progress.Batch < progress.ExpectedBatches)) return;
        _sinceRedraw.Restart();
        var done = progress.ExpectedBatches == 0 ? 0 : Math.Min(BarWidth, BarWidth * progress.Batch / progress.ExpectedBatches);
        var bar = new string('█', done) + new string('░', BarWidth - done);
        var loss = progress.Batch == 0 ? 0 : progress.LossSum / progress.Batch;
        var left = progress.Batch == 0 ? "" : " (" + PlainTextTrainingObserver.Duration(progress.Elapsed.TotalSeconds / progress.Batch * Math.Max(0, progress.ExpectedBatches - progress.Batch)) + " left)";
        Console.Out.Write(string.Create(CultureInfo.InvariantCulture,
            $"\repoch {progress.Epoch} {bar} {progress.Batch}/{progress.ExpectedBatches} batches  mean batch loss {loss:F4}  {progress.SamplesPerSecond:N0} samples/s  {progress.Elapsed.TotalSeconds:F1} s{left} "));
        _barShown = true;
    }

    public void EpochTrained(EpochRecord record)
    {
        ClearBar();
        _lines.EpochTrained(record);
    }

    public void Evaluated(EvaluationReport report) => _lines.Evaluated(report);

    public void Message(string text)
    {
        ClearBar();
        _lines.Message(text);
    }

    public void TrainingFinished(TrainingResult result)
    {
        ClearBar();
        console.WriteLine(result.Outcome());
        console.Write(MetricsGrid(result.BestValid, result.Test));
    }

    /// <summary>A table with one row per metric and a column each for the best valid and the test metrics.</summary>
    public static Table MetricsGrid(MetricValues valid, MetricValues test)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("valid").RightAligned()).AddColumn(new TableColumn("test").RightAligned());
        foreach (var key in valid.Keys.Concat(test.Keys).Distinct(StringComparer.Ordinal))
        {
            table.AddRow(key, Cell(valid, key), Cell(test, key));
        }
        return table;
    }

    private static string Cell(MetricValues values, string key) =>
        values.TryGetValue(key, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    private void ClearBar()
    {
        if (!_barShown) return;
        Console.Out.Write("\r" + new string(' ', 120) + "\r");
        _barShown = false;
    }

    /// <summary>Routes the plain observer's lines to the Spectre console without markup parsing.</summary>
    private sealed class ConsoleLineWriter(IAnsiConsole console) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => console.Write(value.ToString());

        public override void Write(string? value) => console.Write(new Text(value ?? ""));

        public override void WriteLine(string? value) => console.WriteLine(value ?? "");
    }
}
