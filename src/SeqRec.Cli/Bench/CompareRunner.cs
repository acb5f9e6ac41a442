using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Runs;

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
/// memory figure belongs to one point only, then writes results.json, report.md and the plots. Run again into the
/// same folder, it reads back the points already measured there and continues a full point's interrupted training.
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
                var watch = Stopwatch.StartNew();
                var output = Path.Combine(request.OutputFolder, $"point-{model}-L{length}.json");
                var arguments = PointArguments(model, length, output).ToList();
                var key = PointKey(arguments);
                if (FinishedEarlier(output, key) is { } earlier)
                {
                    points.Add(earlier);
                    log.WriteLine($"[{index}/{total}] {model} L={length}: finished earlier ({output})");
                    continue;
                }
                log.WriteLine($"[{index}/{total}] {model} L={length} ...");
                AtomicFile.WriteAllText(KeyPath(output), key);
                var point = RunPoint(model, length, output, arguments);
                points.Add(point);
                log.WriteLine(point.Error is null
                    ? string.Create(CultureInfo.InvariantCulture, $"[{index}/{total}] {model} L={length}: {point.TrainSecondsPerEpoch:F2} s/epoch, peak {point.PeakRssBytes / 1e9:F2} GB (training {point.TrainingPeakRssBytes / 1e9:F2} GB), eval {point.EvalSeconds:F3} s, {point.EvalPeakRssBytes / 1e9:F2} GB ({watch.Elapsed.TotalSeconds:F0} s)")
                    : $"[{index}/{total}] {model} L={length}: failed: {point.Error}");
            }
        }
        return points;
    }

    /// <summary>
    /// A point measured by an earlier invocation into the same folder with the same arguments and config files, read
    /// back; null when there is none. A point measured with other settings is refused rather than mixed in.
    /// </summary>
    private static BenchPoint? FinishedEarlier(string output, string key)
    {
        if (!File.Exists(output)) return null;
        var keyPath = KeyPath(output);
        if (!File.Exists(keyPath) || !string.Equals(File.ReadAllText(keyPath), key, StringComparison.Ordinal))
            throw new SeqRecException($"{output}: this point was measured with other settings (or by an older seqrec); " +
                "give the benchmark another --out folder, or delete the point's files to measure it again");
        try
        {
            return JsonSerializer.Deserialize<BenchPoint>(File.ReadAllText(output), SeqRecJson.Files)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new SeqRecException($"{output}: not a readable benchmark point ({e.Message}); delete it to measure the point again");
        }
    }

    /// <summary>What identifies a point's measurement: its process's arguments and the content of every config file they name.</summary>
    private static string PointKey(IReadOnlyList<string> arguments)
    {
        var key = new System.Text.StringBuilder();
        foreach (var argument in arguments) key.Append(argument).Append('\n');
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] != "--config") continue;
            var file = arguments[i + 1];
            var digest = File.Exists(file) ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))) : "missing";
            key.Append(CultureInfo.InvariantCulture, $"{file} sha256 {digest}\n");
        }
        return key.ToString();
    }

    private static string KeyPath(string pointOutput) => Path.ChangeExtension(pointOutput, ".key");

    private BenchPoint RunPoint(string model, int length, string output, IReadOnlyList<string> arguments)
    {
        var start = SelfInvocation.StartInfo();
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
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
            return JsonSerializer.Deserialize<BenchPoint>(File.ReadAllText(output), SeqRecJson.Files)!;

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
