using System.Text.Json;
using SeqRec.Training;

namespace SeqRec.Runs;

/// <summary>
/// Writes <c>results.json</c>: the model and dataset, its trainable parameters, the best epoch, the best valid
/// metrics, the test metrics, the run's peak resident memory and one entry per epoch (loss, valid metric, seconds,
/// memory). Written atomically.
/// </summary>
public static class RunResultsFile
{

    public static void Write(string path, string model, string dataset, long trainableParameters, TrainingResult result) =>
        AtomicFile.WriteAllText(path, Serialize(model, dataset, trainableParameters, result));

    public static string Serialize(string model, string dataset, long trainableParameters, TrainingResult result) =>
        JsonSerializer.Serialize(new ResultsJson
        {
            Model = model,
            Dataset = dataset,
            TrainableParameters = trainableParameters,
            ValidMetric = result.ValidMetricKey,
            BestEpoch = result.BestEpoch,
            StoppedEarly = result.StoppedEarly,
            BestValid = result.BestValid.ToDictionary(),
            Test = result.Test.ToDictionary(),
            PeakRssBytes = result.PeakResidentBytes,
            Epochs = [.. result.History.Select(e => new EpochJson
            {
                Epoch = e.Epoch,
                Loss = e.Loss,
                LossParts = e.LossParts?.ToDictionary(),
                TrainSeconds = Math.Round(e.TrainSeconds, 3),
                DataSeconds = Math.Round(e.DataSeconds, 3),
                SamplesPerSecond = Math.Round(e.SamplesPerSecond, 1),
                ValidScore = e.ValidScore,
                ValidSeconds = e.ValidSeconds is { } s ? Math.Round(s, 3) : null,
                Improved = e.Improved,
                PeakRssBytes = e.PeakResidentBytes,
            })],
        }, SeqRecJson.Files) + "\n";

    private sealed class ResultsJson
    {
        public string Model { get; set; } = "";
        public string Dataset { get; set; } = "";
        public long TrainableParameters { get; set; }
        public string ValidMetric { get; set; } = "";
        public int BestEpoch { get; set; }
        public bool StoppedEarly { get; set; }
        public Dictionary<string, double> BestValid { get; set; } = [];
        public Dictionary<string, double> Test { get; set; } = [];

        /// <summary>Largest resident-set high-water mark over the epochs, bytes; null where it is not measured.</summary>
        public long? PeakRssBytes { get; set; }

        public List<EpochJson> Epochs { get; set; } = [];
    }

    private sealed class EpochJson
    {
        public int Epoch { get; set; }
        public double Loss { get; set; }

        public Dictionary<string, double>? LossParts { get; set; }

        public double TrainSeconds { get; set; }
        public double DataSeconds { get; set; }
        public double SamplesPerSecond { get; set; }
        public double? ValidScore { get; set; }
        public double? ValidSeconds { get; set; }
        public bool Improved { get; set; }
        public long? PeakRssBytes { get; set; }
    }
}
