using System.Buffers.Binary;
using System.Text;

namespace SeqRec.Checkpoints;

/// <summary>
/// The subset of Python's pickle machine that <c>torch.save(state_dict)</c> emits (protocols 2 to 4): dicts, lists,
/// tuples, strings, numbers, globals, REDUCE and persistent ids. Globals are not executed; <see cref="Reduce"/> and
/// <see cref="PersistentLoad"/> decide what each call and storage reference becomes. Malformed input (a stack or mark
/// underflow, an object of the wrong kind, an overlong string) is an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class TorchPickle(Stream input, Func<PickleGlobal, object?[], object?> reduce, Func<object?, object?> persistentLoad)
{
    private readonly BinaryReader _reader = new(input, Encoding.UTF8, leaveOpen: true);
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    /// <summary>Longest string or global name read: state-dict keys and class names are short.</summary>
    public const int MaxStringBytes = 1 << 20;

    public Func<PickleGlobal, object?[], object?> Reduce { get; } = reduce;

    public Func<object?, object?> PersistentLoad { get; } = persistentLoad;

    public object? Load()
    {
        while (true)
        {
            var op = _reader.ReadByte();
            switch (op)
            {
                case 0x80: _reader.ReadByte(); break;                       // PROTO
                case 0x95: _reader.ReadInt64(); break;                      // FRAME
                case (byte)'.': return Pop();                               // STOP
                case (byte)'(': _marks.Push(_stack.Count); break;           // MARK
                case (byte)'}': Push(new Dictionary<object, object?>()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'K': Push((long)_reader.ReadByte()); break;
                case (byte)'M': Push((long)_reader.ReadUInt16()); break;
                case (byte)'J': Push((long)_reader.ReadInt32()); break;
                case 0x8a: Push(ReadLong1()); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadExactly(8))); break;
                case (byte)'X': Push(ReadString(_reader.ReadUInt32())); break;
                case 0x8c: Push(ReadString(_reader.ReadByte())); break;
                case (byte)'T': Push(ReadString(_reader.ReadUInt32())); break;
                case (byte)'U': Push(ReadString(_reader.ReadByte())); break;
                case (byte)'c': Push(new PickleGlobal(ReadLine(), ReadLine())); break;
                case 0x93: { var name = Pop() as string; var module = Pop() as string; Push(new PickleGlobal(module ?? throw Malformed("STACK_GLOBAL without a module name"), name ?? throw Malformed("STACK_GLOBAL without a name"))); break; }
                case (byte)'q': _memo[_reader.ReadByte()] = Peek(); break;
                case (byte)'r': _memo[_reader.ReadUInt32()] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break;
                case (byte)'h': Push(_memo[_reader.ReadByte()]); break;
                case (byte)'j': Push(_memo[_reader.ReadUInt32()]); break;
                case (byte)'t': Push(PopMark().ToArray()); break;
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)'Q': Push(PersistentLoad(Pop())); break;
                case (byte)'R':
                {
                    var args = Pop() as object?[] ?? throw Malformed("REDUCE without an argument tuple");
                    var callable = Pop() as PickleGlobal ?? throw Malformed("REDUCE of something that is not a global");
                    Push(Reduce(callable, args));
                    break;
                }
                case (byte)'b': Pop(); break;                               // BUILD: object state (e.g. _metadata) is not needed
                case (byte)'s': { var value = Pop(); var key = Pop() ?? throw Malformed("a dict key is None"); Dict()[key] = value; break; }
                case (byte)'u':
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw Malformed("SETITEMS with an odd number of items");
                    var dict = Dict();
                    for (var i = 0; i < items.Count; i += 2) dict[items[i] ?? throw Malformed("a dict key is None")] = items[i + 1];
                    break;
                }
                case (byte)'a': { var value = Pop(); List().Add(value); break; }
                case (byte)'e': { var items = PopMark(); List().AddRange(items); break; }
                default: throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2}");
            }
        }
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Malformed("the stack is empty");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (!_marks.TryPop(out var start) || start > _stack.Count) throw Malformed("no MARK to pop to");
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private Dictionary<object, object?> Dict() =>
        Peek() as Dictionary<object, object?> ?? throw Malformed("SETITEM(S) on something that is not a dict");

    private List<object?> List() => Peek() as List<object?> ?? throw Malformed("APPEND(S) on something that is not a list");

    private static InvalidDataException Malformed(string what) => new($"malformed pickle: {what}");

    private string ReadString(long length)
    {
        if (length is < 0 or > MaxStringBytes) throw Malformed($"a string of {length} bytes (at most {MaxStringBytes} expected)");
        var bytes = _reader.ReadBytes((int)length);
        if (bytes.Length < length) throw new EndOfStreamException("the pickle ends inside a string");
        return Encoding.UTF8.GetString(bytes);
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        for (var b = _reader.ReadByte(); b != (byte)'\n'; b = _reader.ReadByte())
        {
            if (bytes.Count >= MaxStringBytes) throw Malformed("a global name without its end of line");
            bytes.Add(b);
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private byte[] ReadExactly(int count)
    {
        var bytes = _reader.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException("the pickle ends inside a value");
    }

    private long ReadLong1()
    {
        var bytes = ReadExactly(_reader.ReadByte());
        if (bytes.Length > 8) throw Malformed("integer wider than 64 bits");
        long value = 0;
        for (var i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) value -= 1L << (8 * bytes.Length); // two's complement
        return value;
    }
}

/// <summary>A pickled reference to a Python global such as <c>torch._utils._rebuild_tensor_v2</c>.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
