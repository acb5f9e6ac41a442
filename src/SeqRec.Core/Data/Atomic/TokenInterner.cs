using System.Runtime.CompilerServices;

namespace SeqRec.Data.Atomic;

/// <summary>
/// Gives each distinct token a dense code in order of first appearance. Lookups take a span, so a repeated token
/// costs no allocation; only a new token becomes a string.
/// </summary>
internal sealed class TokenInterner
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _tokens = [];

    public TokenInterner() => _lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Intern(ReadOnlySpan<char> token)
    {
        if (_lookup.TryGetValue(token, out var code)) return code;
        code = _tokens.Count;
        var text = token.ToString();
        _tokens.Add(text);
        _codes.Add(text, code);
        return code;
    }

    public string[] Tokens() => [.. _tokens];
}
