namespace SeqRec.Data.Atomic;

/// <summary>The column types of RecBole's atomic files, written after the colon in the header (<c>rating:float</c>).</summary>
public enum AtomicFieldType { Token, TokenSeq, Float, FloatSeq }

public static class AtomicFieldTypes
{
    public static IReadOnlyList<string> Names { get; } = ["token", "token_seq", "float", "float_seq"];

    public static bool TryParse(ReadOnlySpan<char> text, out AtomicFieldType type)
    {
        switch (text)
        {
            case "token": type = AtomicFieldType.Token; return true;
            case "token_seq": type = AtomicFieldType.TokenSeq; return true;
            case "float": type = AtomicFieldType.Float; return true;
            case "float_seq": type = AtomicFieldType.FloatSeq; return true;
            default: type = default; return false;
        }
    }

    public static string Name(this AtomicFieldType type) => Names[(int)type];
}
