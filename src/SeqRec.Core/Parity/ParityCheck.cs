using System.Globalization;
using SeqRec.Checkpoints;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Parity;

/// <summary>
/// Runs a registered model on a fixture's weights and inputs and compares every output with the reference's, through
/// the model contract only (<c>Forward</c>, <c>FullSortScores</c>, <c>Predict</c>, <c>CalculateLoss</c>), so the same
/// check serves every model: tensors to an absolute 1e-5, losses to a relative 1e-5. A model implementing
/// <see cref="IReferenceOutputs"/> is also compared on the fixture's further tensors it can compute.
/// </summary>
public static class ParityCheck
{
    public const double OutputTolerance = 1e-5;
    public const double LossRelativeTolerance = 1e-5;

    /// <summary>Regularisation weights the reference sets to 0 for <c>losses_without_regularisation</c>.</summary>
    private static readonly string[] RegularisationKeys = ["reg_weight", "reg_loss_ratio"];

    /// <summary>Batch fields with a place of their own; every other input becomes a named field.</summary>
    private static readonly string[] StandardInputs = ["item_seq", "item_seq_len", "pos_items", "neg_items", "user_id"];

    /// <param name="kernels">The shared layers' path to check: the plain one is RecBole-shaped, the fused one must agree with it.</param>
    public static ParityResult Run(ParityFixture fixture, ModelRegistry models, KernelChoice kernels = KernelChoice.Fused)
    {
        var info = models.Find(fixture.Model);
        if (info is null) return new ParityResult(fixture.Name, fixture.Model, null, [], null, []);
        var comparisons = new List<ParityComparison>();
        var notChecked = fixture.UncheckedOutputs.ToList();
        try
        {
            using var scope = NewDisposeScope();
            using var batch = BatchOf(fixture);
            var first = true;
            foreach (var (lossType, expected) in fixture.Losses)
            {
                using var model = Build(fixture, info, lossType, withoutRegularisation: false, kernels);
                using var noGrad = no_grad();
                if (first)
                {
                    comparisons.Add(CompareTensor("forward", model.Forward(batch), fixture.Forward));
                    comparisons.Add(CompareTensor("full_sort_scores", model.FullSortScores(batch), fixture.FullSortScores));
                    if (fixture.PredictScores is { } predict)
                        comparisons.Add(CompareTensor("predict_scores", model.Predict(batch, batch.PosItems), predict));
                    if (model is IReferenceOutputs further)
                    {
                        foreach (var (name, tensor) in fixture.ExtraOutputs)
                        {
                            if (further.ReferenceOutput(name, batch) is not { } actual) continue;
                            comparisons.Add(CompareTensor(name, actual, tensor));
                            notChecked.Remove(name);
                        }
                    }
                    first = false;
                }
                comparisons.Add(CompareLoss($"loss[{lossType}]", model.CalculateLoss(batch).Total.item<float>(), expected));
            }
            foreach (var (lossType, expected) in fixture.LossesWithoutRegularisation)
            {
                using var model = Build(fixture, info, lossType, withoutRegularisation: true, kernels);
                using var noGrad = no_grad();
                comparisons.Add(CompareLoss($"loss_without_reg[{lossType}]", model.CalculateLoss(batch).Total.item<float>(), expected));
            }
            return new ParityResult(fixture.Name, fixture.Model, info.Id, comparisons, null, notChecked);
        }
        catch (Exception e) when (e is SeqRecException or ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            return new ParityResult(fixture.Name, fixture.Model, info.Id, comparisons, e.Message, notChecked);
        }
    }

    /// <summary>The registered model configured from the fixture's hyper-parameters (reference names), with its weights, in eval mode.</summary>
    public static SequentialRecommender Build(ParityFixture fixture, ModelInfo info, string lossType, bool withoutRegularisation, KernelChoice kernels = KernelChoice.Fused)
    {
        var replace = new Dictionary<string, object>(StringComparer.Ordinal);
        if (lossType != "default") replace["loss_type"] = lossType;
        if (withoutRegularisation)
        {
            foreach (var (key, value) in fixture.Hyperparameters.Where(h => RegularisationKeys.Contains(h.Key)))
                replace[key] = value.ValueKind == System.Text.Json.JsonValueKind.Array ? value.EnumerateArray().Select(_ => (object)0.0).ToList() : 0.0;
        }
        var table = fixture.HyperparameterTable(replace);
        // A model without a loss switch (RepeatNet) ignores the loss_type its reference YAML may still list.
        if (lossType == "default" && !info.Config.Parameters.Any(p => p.Key == "loss_type" || p.Alias == "loss_type")) table.Remove("loss_type");
        if (lossType != "default" && !fixture.Hyperparameters.Any(h => h.Key == "loss_type")) table.Set("loss_type", new ConfigScalar(lossType, new ConfigSource(fixture.Name)));
        var errors = new ConfigErrors();
        var config = info.Config.Bind(table, errors);
        if (errors.HasErrors) throw new SeqRecException($"{fixture.Name}: the hyper-parameters do not configure {info.Id}:{Environment.NewLine}{errors}");
        var model = info.Create(config, new ModelContext(fixture.NItems, fixture.MaxSeqLength, fixture.NUsers));
        try
        {
            using var scope = NewDisposeScope();
            var weights = fixture.StateDict.ToDictionary(p => p.Key, p => p.Value.ToFloat(), StringComparer.Ordinal);
            StateDict.Apply(model, weights, fixture.Name);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.UseKernels(kernels);
        model.eval();
        return model;
    }

    /// <summary>The fixture's inputs as a batch: the standard fields in their places, the rest by their reference names.</summary>
    public static Batch BatchOf(ParityFixture fixture)
    {
        Tensor Input(string name) => fixture.Inputs.TryGetValue(name, out var t) ? t.ToLong() : throw new SeqRecException($"{fixture.Name}: inputs.{name} is missing");
        var pos = Input("pos_items");
        var batch = new Batch(Input("item_seq"), Input("item_seq_len"), pos, [.. Enumerable.Range(0, (int)pos.shape[0])],
            fixture.Inputs.ContainsKey("neg_items") ? Input("neg_items") : null,
            fixture.Inputs.ContainsKey("user_id") ? Input("user_id") : null);
        foreach (var (name, value) in fixture.Inputs.Where(i => !StandardInputs.Contains(i.Key)))
            batch.Set(name, value.ToLong());
        return batch;
    }

    private static ParityComparison CompareTensor(string name, Tensor actual, FixtureTensor expected)
    {
        if (!actual.shape.SequenceEqual(expected.Shape))
            return new ParityComparison(name, double.PositiveInfinity, OutputTolerance, false,
                $"shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.Shape)}]");
        var values = actual.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var worst = 0.0;
        var worstAt = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var diff = Math.Abs(values[i] - expected.Data[i]);
            if (double.IsNaN(diff)) diff = double.PositiveInfinity;
            if (diff > worst) (worst, worstAt) = (diff, i);
        }
        var detail = values.Length == 0 ? "empty" : string.Create(CultureInfo.InvariantCulture, $"flat index {worstAt}: got {values[worstAt]}, expected {expected.Data[worstAt]}");
        return new ParityComparison(name, worst, OutputTolerance, false, detail);
    }

    private static ParityComparison CompareLoss(string name, double actual, double expected)
    {
        var relative = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-12);
        if (double.IsNaN(relative)) relative = double.PositiveInfinity;
        return new ParityComparison(name, relative, LossRelativeTolerance, true, string.Create(CultureInfo.InvariantCulture, $"got {actual}, expected {expected}"));
    }
}
