using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>Small models and batches for unit tests.</summary>
internal static class TinyModels
{
    public static SequentialRecommender Create(ModelInfo info, ModelContext context, LossType lossType, long seed)
    {
        // Through the binder, so every registered model is covered without knowing its config type.
        var source = new ConfigSource("test");
        var table = new ConfigTable(source);
        table.Set("loss_type", new ConfigScalar(lossType.ToString(), source));
        var errors = new ConfigErrors();
        var config = info.Config.Bind(table, errors);
        if (errors.HasErrors) throw new InvalidOperationException(errors.ToString());
        manual_seed(seed);
        return (SequentialRecommender)info.Create(config, context);
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

    /// <summary>Right-padded sequences of the given lengths over items 1..nItems-1, with targets and negatives.</summary>
    public static (Tensor ItemSeq, Tensor ItemSeqLen, Tensor Pos, Tensor Neg) Batch(int nItems, int maxLength, int[] lengths, int seed = 3)
    {
        var random = new Random(seed);
        var seq = new long[lengths.Length * maxLength];
        for (var row = 0; row < lengths.Length; row++)
            for (var t = 0; t < lengths[row]; t++)
                seq[row * maxLength + t] = random.Next(1, nItems);
        var pos = lengths.Select(_ => (long)random.Next(1, nItems)).ToArray();
        var neg = lengths.Select(_ => (long)random.Next(1, nItems)).ToArray();
        return (tensor(seq, [lengths.Length, maxLength]), tensor(lengths.Select(l => (long)l).ToArray()), tensor(pos), tensor(neg));
    }
}
