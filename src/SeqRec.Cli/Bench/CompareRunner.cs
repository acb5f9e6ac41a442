using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SeqRec.Benchmarks;

namespace SeqRec.Cli.Bench;

/// <summary>What <c>seqrec bench compare</c> was asked to do.</summary>
internal sealed record CompareRequest(
    IReadOnlyList<string> Models,
    string Dataset,
    IReadOnlyList<int> Lengths,
    int Epochs,
    int Steps,
    bool Full,
    IReadOnlyList<string> ConfigFiles,
    IReadOnlyList<string> Sets,
    string OutputFolder,
    string? DataPath,
    IReadOnlyList<string> PluginArguments);

/// <summary>
/// Runs every (model, length) point of a comparison in its own <c>seqrec bench point</c> process, so each peak
/// memory figure belongs to one point only, then writes results.json, report.md and the plots.
/// </summary>
internal sealed class CompareRunner(CompareRequest request, TextWriter log)
{
    public IReadOnlyList<BenchPoint> Run()
    {
        Directory.CreateDirectory(request.OutputFolder);
        var points = new List<BenchPoint>();
        var total = request.Models.Count * request.Lengths.Count;
        var index = 0;
        foreach (var length in request.Lengths)
        {
            foreach (var model in request.Models)
            {
                index++;
                log.WriteLine($"[{index}/{total}] {model} L={length} ...");
                var watch = Stopwatch.StartNew();
                var point = RunPoint(model, length);
                points.Add(point);
                log.WriteLine(point.Error is null
                    ? string.Create(CultureInfo.InvariantCulture, $"[{index}/{total}] {model} L={length}: {point.TrainSecondsPerEpoch:F2} s/epoch, peak {point.PeakRssBytes / 1e9:F2} GB (training {point.TrainingPeakRssBytes / 1e9:F2} GB), eval {point.EvalSeconds:F3} s, {point.EvalPeakRssBytes / 1e9:F2} GB ({watch.Elapsed.TotalSeconds:F0} s)")
                    : $"[{index}/{total}] {model} L={length}: failed: {point.Error}");
            }
        }
        return points;
    }

    private BenchPoint RunPoint(string model, int length)
    {
        var output = Path.Combine(request.OutputFolder, $"point-{model}-L{length}.json");
        var start = SelfInvocation.StartInfo();
        foreach (var arg in PointArguments(model, length, output)) start.ArgumentList.Add(arg);
        if (request.DataPath is not null) start.Environment["SEQREC_DATA_PATH"] = request.DataPath;
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;

        using var child = Process.Start(start) ?? throw new SeqRecException("bench: could not start a benchmark process");
        var logPath = Path.Combine(request.OutputFolder, $"point-{model}-L{length}.log");
        using (var pointLog = new StreamWriter(logPath))
        {
            child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (pointLog) pointLog.WriteLine(e.Data); };
            child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (pointLog) pointLog.WriteLine(e.Data); };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            child.WaitForExit();
        }
        if (child.ExitCode == 0 && File.Exists(output))
            return JsonSerializer.Deserialize<BenchPoint>(File.ReadAllText(output), BenchPoint.Json)!;

        var tail = File.ReadLines(logPath).Where(l => l.Length > 0).TakeLast(3).ToList();
        var reason = child.ExitCode == 137 ? "killed (out of memory?)" : $"exit code {child.ExitCode}";
        return new BenchPoint
        {
            Model = model, MaxLength = length, Parameters = 0, TrainBatchSize = 0, BatchesPerEpoch = 0, EpochSeconds = [],
            EvalSeconds = double.NaN, LatencyMsBatch1 = double.NaN, LatencyMsBatch256 = double.NaN, PeakRssBytes = 0,
            Error = $"{reason}: {string.Join(" / ", tail)}",
        };
    }

    private IEnumerable<string> PointArguments(string model, int length, string output)
    {
        foreach (var argument in request.PluginArguments) yield return argument;
        yield return "bench";
        yield return "point";
        yield return "--model";
        yield return model;
        yield return "--dataset";
        yield return request.Dataset;
        yield return "--max-len";
        yield return length.ToString(CultureInfo.InvariantCulture);
        yield return "--epochs";
        yield return request.Epochs.ToString(CultureInfo.InvariantCulture);
        yield return "--steps";
        yield return request.Steps.ToString(CultureInfo.InvariantCulture);
        yield return "--out";
        yield return output;
        if (request.Full) yield return "--full";
        foreach (var file in request.ConfigFiles)
        {
            yield return "--config";
            yield return file;
        }
        foreach (var set in request.Sets)
        {
            yield return "--set";
            yield return set;
        }
    }
}
