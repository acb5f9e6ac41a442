using static TorchSharp.torch;

namespace SeqRec.Modeling;

/// <summary>
/// A training loss: the scalar <see cref="Total"/> that is minimised and, for models whose loss has several terms
/// (a main loss plus regularisers, RecBole's tuple losses), the terms by name for logging. A plain tensor converts.
/// </summary>
public sealed class LossOutput
{
    public LossOutput(Tensor total, IReadOnlyList<LossPart>? parts = null)
    {
        Total = total;
        Parts = parts ?? [];
    }

    public Tensor Total { get; }

    /// <summary>The named terms; empty when the loss is a single term.</summary>
    public IReadOnlyList<LossPart> Parts { get; }

    public static implicit operator LossOutput(Tensor total) => new(total);
}

/// <summary>One named term of a <see cref="LossOutput"/>, e.g. <c>("ce", …)</c> and <c>("reg", …)</c>.</summary>
public readonly record struct LossPart(string Name, Tensor Value);
