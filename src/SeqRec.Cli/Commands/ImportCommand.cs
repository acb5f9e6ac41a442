using System.CommandLine;
using Spectre.Console;
using SeqRec.Checkpoints;
using SeqRec.Evaluation;
using SeqRec.Runs;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec import</c>: turn a RecBole/PyTorch state dict into a SeqRec model file.</summary>
internal static class ImportCommand
{
    public static Command Create(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var weights = new Option<string>("--weights") { Description = "torch.save(model.state_dict()) file (.pth) or .safetensors.", Required = true };
        var output = new Option<string>("--out") { Description = "The SeqRec model file to write (config + weights).", Required = true };
        var command = new Command("import", "Import reference (RecBole) weights: names and shapes are checked against the model built from the config and dataset.");
        options.AddTo(command);
        command.Options.Add(weights);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var config = options.Resolve(parse);
            using var experiment = Experiment.Prepare(config, parse.InvocationConfiguration.Output);
            var source = parse.GetValue(weights)!;
            if (!File.Exists(source)) throw new SeqRecException($"{source}: weights file not found");
            WeightsFile.LoadInto(experiment.Model, source);
            var target = parse.GetValue(output)!;
            var folder = Path.GetDirectoryName(Path.GetFullPath(target));
            if (folder is not null) Directory.CreateDirectory(folder);
            ModelCheckpoint.Save(target, experiment.Model, new CheckpointInfo(config.Model.Id, experiment.Dataset.Name, experiment.ConfigToml, config.Model.AssemblyLabel), epoch: -1, MetricValues.Empty);
            ConsoleFor.Output(parse).WriteLine($"imported {source} into {config.Model.DisplayName} for {experiment.Dataset.Name} ({experiment.Dataset.NItems:N0} items): wrote {target}");
            return CliApp.Ok;
        });
        return command;
    }
}
