using System.CommandLine;
using SeqRec.Configuration;
using SeqRec.Models;
using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Output;
using SeqRec.Tuning.Sampling;
using SeqRec.Tuning.Space;
using SeqRec.Tuning.Store;

namespace SeqRec.Cli.Commands;

/// <summary>
/// <c>seqrec tune</c>: hyper-parameter search over a RecBole params file. Every trial is committed to the study
/// store as it finishes, so running the same command again resumes the study, and workers started with the same
/// <c>--study</c> and <c>--storage</c> share it.
/// </summary>
internal static class TuneCommand
{
    public static Command Create(ModelHost host, Func<TrialRunnerContext, ITrialRunner> runnerFactory)
    {
        var config = new CommonOptions.ConfigOptions(host);
        var paramsFile = new Option<string>("--params", "-p")
        {
            Description = "Params file in RecBole's syntax: 'name choice [..]', 'name uniform lo,hi', 'name loguniform lo,hi' (natural-log bounds), 'name quniform lo,hi,q'.",
            Required = true,
        };
        var algorithm = new Option<string>("--algo") { Description = "exhaustive (every grid point once, random order), random, or bayes (TPE).", DefaultValueFactory = _ => "exhaustive" };
        var maxEvals = new Option<int?>("--max-evals") { Description = "Stop after this many trials (default: the whole grid; 100 for continuous ranges)." };
        var earlyStop = new Option<int?>("--early-stop") { Description = "Stop after this many finished trials without a better valid score (default: off)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the grid order and of the samplers.", DefaultValueFactory = _ => 2020 };
        var study = new Option<string?>("--study") { Description = "Study name; workers with the same study and storage share it (default: <model>-<params file name>)." };
        var storage = new Option<string?>("--storage") { Description = "Study store: sqlite:path.db (default: <output>/study.db), postgres://user:pass@host:port/db, or an Npgsql connection string." };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for study.csv, study.json, best.toml and the trials' files (default: tune/<study>)." };
        var worker = new Option<string?>("--worker") { Description = "This worker's name in the study (default: host-pid-random)." };

        var command = new Command("tune", "Search hyper-parameters (RecBole params-file syntax); resumable, and shareable between workers.");
        config.AddTo(command);
        foreach (var option in new Option[] { paramsFile, algorithm, maxEvals, earlyStop, seed, study, storage, output, worker }) command.Options.Add(option);

        command.SetAction((parse, cancellation) =>
        {
            using var interruption = ChildLifetime.Linked(cancellation);
            var request = config.Request(parse);
            var baseConfig = config.Resolve(parse);
            var sections = ConfigResolver.CoreSections.Append(baseConfig.Model.Config).ToList();
            var paramsPath = parse.GetValue(paramsFile)!;
            var space = HyperFileParser.ParseFile(paramsPath, sections);
            GridPreflight.Check(space, request, host.Registry);

            var algo = SamplerFactory.Parse(parse.GetValue(algorithm)!);
            var studyName = parse.GetValue(study) ?? $"{baseConfig.Model.Id}-{Path.GetFileNameWithoutExtension(paramsPath)}";
            var outputDirectory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("tune", studyName));
            var options = new TuneOptions
            {
                Study = studyName,
                Algorithm = algo,
                MaxEvals = Positive(parse.GetValue(maxEvals), "--max-evals"),
                EarlyStop = Positive(parse.GetValue(earlyStop), "--early-stop"),
                Seed = parse.GetValue(seed),
            };
            if (parse.GetValue(worker) is { Length: > 0 } name) options = options with { Worker = name };
            var sampler = SamplerFactory.Create(algo, space, options.Seed, options.Tpe);

            using var store = StudyStorage.Open(parse.GetValue(storage) ?? "sqlite:" + Path.Combine(outputDirectory, "study.db"), studyName, space, DateTimeOffset.UtcNow);
            var studyBase = new StudyBase(baseConfig.Model.Id, request.Dataset, request.Files, request.Sets, sections);
            var studyOutput = new StudyOutput(outputDirectory, space, studyBase);
            var runner = runnerFactory(new TrialRunnerContext(request, baseConfig, outputDirectory));
            var validMetric = baseConfig.Eval.ValidMetric;

            var console = ConsoleFor.Output(parse);
            var view = new TuneProgressView(console, space, validMetric, store.Location);
            var final = view.Show(progress =>
                new StudyRunner(store, space, sampler, runner, options, outputDirectory, progress, studyOutput).Run(interruption.Token));
            view.PrintSummary(final, studyOutput);
            return Task.FromResult(final.Best is null ? CliApp.Failure : CliApp.Ok);
        });
        return command;
    }

    private static int? Positive(int? value, string option) =>
        value is < 1 ? throw new SeqRecException($"{option}: expected a positive number of trials, got {value}") : value;
}
