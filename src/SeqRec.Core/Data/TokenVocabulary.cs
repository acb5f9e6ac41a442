namespace SeqRec.Data;

/// <summary>
/// Maps raw tokens (as written in the atomic files) to dense ids in order of first appearance; id 0 is the padding
/// token <c>[PAD]</c>, so <see cref="Count"/> includes it, as RecBole counts.
/// </summary>
public sealed class TokenVocabulary
{
    public const string PaddingToken = "[PAD]";

    private readonly List<string> _tokens = [PaddingToken];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Count => _tokens.Count;

    public string Token(int id) => _tokens[id];

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    /// <summary>The id of <paramref name="token"/>, assigning the next id on first appearance.</summary>
    public int GetOrAdd(string token)
    {
        if (_ids.TryGetValue(token, out var id)) return id;
        id = _tokens.Count;
        _tokens.Add(token);
        _ids.Add(token, id);
        return id;
    }
}
