using System.Runtime.CompilerServices;

namespace SeqRec.Data.Atomic;

/// <summary>An append-only array that doubles when full; <see cref="ToArray"/> trims it to its length.</summary>
internal sealed class GrowableArray<T>(int capacity = 1024)
{
    private T[] _items = new T[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T item)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = item;
    }

    public T[] ToArray() => _items.AsSpan(0, Count).ToArray();
}
