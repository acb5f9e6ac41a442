using SeqRec.Configuration;
using SeqRec.Models;
using SeqRec.Runs;

namespace SeqRec.Cli.Runs;

/// <summary>A saved model brought back: its configuration and dataset rebuilt from the checkpoint header, weights loaded.</summary>
internal static class CheckpointSession
{
    public static Experiment Open(string checkpoint, IReadOnlyList<string> sets, TextWriter? progress)
    {
        if (!File.Exists(checkpoint)) throw new SeqRecException($"{checkpoint}: checkpoint not found");
        var header = ModelCheckpoint.ReadHeader(checkpoint);
        var config = ConfigResolver.Resolve(new ConfigRequest { Texts = [new ConfigText($"{checkpoint} (stored config)", header.Info.ConfigToml)], Sets = sets },
            SeqRecModels.All);
        var experiment = Experiment.Prepare(config, progress);
        try
        {
            ModelCheckpoint.LoadWeights(checkpoint, experiment.Model);
        }
        catch
        {
            experiment.Dispose();
            throw;
        }
        experiment.Model.eval();
        return experiment;
    }
}
