using System.Runtime.CompilerServices;

namespace SeqRec.Data.Atomic;

/// <summary>
/// Reads a text stream line by line into one reusable buffer, so a line costs no allocation. A returned line is
/// valid until the next call. Accepts \n and \r\n endings and a last line without a newline.
/// </summary>
internal sealed class LineReader(TextReader reader) : IDisposable
{
    private char[] _buffer = new char[1 << 16];
    private int _start;
    private int _end;
    private bool _endOfInput;

    /// <summary>1-based number of the line returned last.</summary>
    public int LineNumber { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var searched = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending[searched..].IndexOf('\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(pending[..(searched + newline)]);
                _start += searched + newline + 1;
                LineNumber++;
                return true;
            }
            if (_endOfInput)
            {
                _start = _end;
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = TrimCarriageReturn(pending);
                LineNumber++;
                return true;
            }
            searched = pending.Length;
            Refill();
        }
    }

    private void Refill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfInput = true;
        _end += read;
    }

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    public void Dispose() => reader.Dispose();
}
