namespace SeqRec.Data.Atomic;

/// <summary>One header entry of an atomic file; <see cref="Column"/> is 1-based, as messages show it.</summary>
public sealed record AtomicField(string Name, AtomicFieldType Type, int Column)
{
    public override string ToString() => $"{Name}:{Type.Name()}";
}
