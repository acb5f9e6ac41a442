using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Models;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>The tests' model registry, and small models and batches for unit tests.</summary>
internal static class TinyModels
{
    /// <summary>SeqRec's own models: the tests' composition root.</summary>
    public static ModelRegistry Registry { get; } = SeqRecModels.Registry();

    public static ModelInfo Info(string id) => Registry.Get(id);

    /// <summary>Builds a registered model through its binder with its defaults, and the loss type when the model has one.</summary>
    public static SequentialRecommender Create(ModelInfo info, ModelContext context, LossType? lossType, long seed) =>
        Create(info, context, lossType?.ToString(), seed);

    /// <summary>As above, with the loss type as the configuration spells it (<c>CE</c>, <c>BPR</c>, a model's own).</summary>
    public static SequentialRecommender Create(ModelInfo info, ModelContext context, string? lossType, long seed)
    {
        var source = new ConfigSource("test");
        var table = new ConfigTable(source);
        if (lossType is not null && info.Config.Parameters.Any(p => p.Key == "loss_type"))
            table.Set("loss_type", new ConfigScalar(lossType, source));
        var errors = new ConfigErrors();
        var config = info.Config.Bind(table, errors);
        if (errors.HasErrors) throw new InvalidOperationException(errors.ToString());
        manual_seed(seed);
        return info.Create(config, context);
    }

    public static LightSans LightSans(ModelContext context, LightSansConfig? config = null, long seed = 7)
    {
        manual_seed(seed);
        return new LightSans(config ?? new LightSansConfig(), context);
    }

    public static SasRec SasRec(ModelContext context, SasRecConfig? config = null, long seed = 7)
    {
        manual_seed(seed);
        return new SasRec(config ?? new SasRecConfig(), context);
    }

    /// <summary>
    /// Right-padded sequences of the given lengths over items 1..nItems-1, with targets, one negative per row and user
    /// ids 1..B: every field a model can declare.
    /// </summary>
    public static Batch Batch(int nItems, int maxLength, int[] lengths, int seed = 3)
    {
        var random = new Random(seed);
        var seq = new long[lengths.Length * maxLength];
        for (var row = 0; row < lengths.Length; row++)
            for (var t = 0; t < lengths[row]; t++)
                seq[row * maxLength + t] = random.Next(1, nItems);
        var pos = lengths.Select(_ => (long)random.Next(1, nItems)).ToArray();
        var neg = lengths.Select(_ => (long)random.Next(1, nItems)).ToArray();
        var users = lengths.Select((_, i) => (long)(i + 1)).ToArray();
        return new Batch(tensor(seq, [lengths.Length, maxLength]), tensor(lengths.Select(l => (long)l).ToArray()), tensor(pos),
            [.. Enumerable.Range(0, lengths.Length)], tensor(neg), tensor(users));
    }
}
