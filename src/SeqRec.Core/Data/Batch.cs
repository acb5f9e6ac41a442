using static TorchSharp.torch;

namespace SeqRec.Data;

/// <summary>
/// A batch as a model consumes it, like RecBole's <c>Interaction</c>: <see cref="ItemSeq"/> [B, L] int64 left-aligned
/// and right-padded with 0, <see cref="ItemSeqLen"/> [B] int64, <see cref="PosItems"/> [B] int64 targets, and what the
/// model declared it needs (<see cref="Modeling.BatchNeeds"/>): one negative per sample, the user ids, and any
/// model-specific field a batch transform adds (<see cref="Set"/>, <see cref="Get"/>). <see cref="SampleIndices"/> are
/// the rows' indices in their <see cref="SampleSet"/>. Disposing the batch disposes every tensor it holds.
/// </summary>
public sealed class Batch : IDisposable
{
    private readonly Dictionary<string, Tensor> _fields = new(StringComparer.Ordinal);

    public Batch(Tensor itemSeq, Tensor itemSeqLen, Tensor posItems, int[] sampleIndices, Tensor? negItems = null, Tensor? userIds = null)
    {
        ItemSeq = itemSeq;
        ItemSeqLen = itemSeqLen;
        PosItems = posItems;
        SampleIndices = sampleIndices;
        NegItems = negItems;
        UserIds = userIds;
    }

    public Tensor ItemSeq { get; }
    public Tensor ItemSeqLen { get; }
    public Tensor PosItems { get; }

    /// <summary>One sampled negative per row [B], when the model needs negatives.</summary>
    public Tensor? NegItems { get; }

    /// <summary>The rows' user ids [B] int64 (0 = padding user), when the model needs them.</summary>
    public Tensor? UserIds { get; }

    public int[] SampleIndices { get; }
    public int Size => SampleIndices.Length;

    /// <summary>The negatives, or an error saying that the model did not declare them.</summary>
    public Tensor Negatives => NegItems ?? throw Missing("neg_items", "BatchNeeds.Negatives");

    /// <summary>The user ids, or an error saying that the model did not declare them.</summary>
    public Tensor Users => UserIds ?? throw Missing("user_id", "BatchNeeds.UserIds");

    /// <summary>Adds (or replaces, disposing the old tensor) a model-specific field; the batch owns it from now on.</summary>
    public void Set(string name, Tensor value)
    {
        if (_fields.Remove(name, out var old) && !ReferenceEquals(old, value)) old.Dispose();
        _fields[name] = value;
    }

    /// <summary>A model-specific field added by a batch transform.</summary>
    public Tensor Get(string name) =>
        _fields.TryGetValue(name, out var value) ? value : throw Missing(name, "a batch transform (BatchNeeds.TrainingTransform or EvaluationTransform)");

    public bool TryGet(string name, out Tensor value) => _fields.TryGetValue(name, out value!);

    public IEnumerable<string> FieldNames => _fields.Keys;

    private static InvalidOperationException Missing(string field, string declaration) =>
        new($"the batch has no '{field}': a model that reads it must declare it through {declaration}");

    public void Dispose()
    {
        ItemSeq.Dispose();
        ItemSeqLen.Dispose();
        PosItems.Dispose();
        NegItems?.Dispose();
        UserIds?.Dispose();
        foreach (var field in _fields.Values) field.Dispose();
        _fields.Clear();
    }
}
