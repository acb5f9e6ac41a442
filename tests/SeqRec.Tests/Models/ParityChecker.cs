using System.Globalization;
using SeqRec.Checkpoints;
using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>Runs a SeqRec model on a fixture's weights and inputs and lists every output that differs from the reference.</summary>
internal static class ParityChecker
{
    public const double OutputTolerance = 1e-5;
    public const double LossRelativeTolerance = 1e-5;

    /// <summary>One line per mismatch, each naming the fixture and the tensor; empty when everything matches.</summary>
    public static IReadOnlyList<string> Compare(ParityFixture fixture)
    {
        var mismatches = new List<string>();
        using var scope = NewDisposeScope();
        var posItems = fixture.Inputs["pos_items"].ToLong();
        using var batch = new SeqRec.Data.Batch(fixture.Inputs["item_seq"].ToLong(), fixture.Inputs["item_seq_len"].ToLong(), posItems,
            [.. Enumerable.Range(0, (int)posItems.shape[0])], fixture.Inputs["neg_items"].ToLong());

        foreach (var lossType in new[] { LossType.CE, LossType.BPR })
        {
            using var model = Build(fixture, lossType);
            using var noGrad = no_grad();
            var seqOutput = model.Forward(batch);
            var scores = model.FullSortScores(batch);
            var loss = model.CalculateLoss(batch).Total.item<float>();
            if (lossType == LossType.CE)
            {
                CompareTensor(fixture, "seq_output", seqOutput, fixture.SeqOutput, mismatches);
                CompareTensor(fixture, "full_sort_scores", scores, fixture.FullSortScores, mismatches);
                CompareLoss(fixture, "ce_loss", loss, fixture.CeLoss, mismatches);
            }
            else
            {
                CompareLoss(fixture, "bpr_loss", loss, fixture.BprLoss, mismatches);
            }
        }
        return mismatches;
    }

    /// <summary>The registered model named by the fixture, configured from its RecBole hyper-parameters, with its weights, in eval mode.</summary>
    public static SequentialRecommender Build(ParityFixture fixture, LossType lossType)
    {
        var info = TinyModels.Registry.Find(fixture.Model) ?? throw new InvalidDataException($"{fixture.Name}: no registered model '{fixture.Model}'");
        var errors = new ConfigErrors();
        var config = info.Config.Bind(fixture.HyperparameterTable(), errors);
        if (errors.HasErrors) throw new InvalidDataException($"{fixture.Name}: {errors}");
        config = config switch
        {
            LightSansConfig c => c with { LossType = lossType },
            SasRecConfig c => c with { LossType = lossType },
            _ => throw new InvalidDataException($"{fixture.Name}: unknown config {config.GetType()}"),
        };
        var model = info.Create(config, new ModelContext(fixture.NItems, fixture.MaxSeqLength));
        using (var scope = NewDisposeScope())
        {
            var weights = fixture.StateDict.ToDictionary(p => p.Key, p => p.Value.ToFloat(), StringComparer.Ordinal);
            StateDict.Apply(model, weights, fixture.Name);
        }
        model.eval();
        return model;
    }

    private static void CompareTensor(ParityFixture fixture, string name, Tensor actual, FixtureTensor expected, List<string> mismatches)
    {
        if (!actual.shape.SequenceEqual(expected.Shape))
        {
            mismatches.Add($"{fixture.Name}: {name} has shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.Shape)}]");
            return;
        }
        var values = actual.contiguous().data<float>().ToArray();
        var worst = 0.0;
        var worstAt = -1;
        for (var i = 0; i < values.Length; i++)
        {
            var diff = Math.Abs(values[i] - expected.Data[i]);
            if (diff > worst || double.IsNaN(diff)) (worst, worstAt) = (double.IsNaN(diff) ? double.PositiveInfinity : diff, i);
        }
        if (worst > OutputTolerance)
            mismatches.Add(string.Create(CultureInfo.InvariantCulture,
                $"{fixture.Name}: {name} max |diff| {worst:G3} at flat index {worstAt} (got {values[worstAt]}, expected {expected.Data[worstAt]}), tolerance {OutputTolerance}"));
    }

    private static void CompareLoss(ParityFixture fixture, string name, double actual, double expected, List<string> mismatches)
    {
        var relative = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-12);
        if (!(relative <= LossRelativeTolerance))
            mismatches.Add(string.Create(CultureInfo.InvariantCulture,
                $"{fixture.Name}: {name} is {actual}, expected {expected} (relative diff {relative:G3}, tolerance {LossRelativeTolerance})"));
    }
}
