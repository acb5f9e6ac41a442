using System.Text;
using CsCheck;

namespace SeqRec.Tests.Hostile;

/// <summary>
/// Generators of hostile variants of a valid file: bytes flipped, inserted, deleted, duplicated or cut off, and for
/// text, tokens replaced by values that break parsers and bounds (huge, negative, non-finite, overflowing, empty,
/// control characters, deep nesting).
/// </summary>
internal static class Mutations
{
    /// <summary>Values that have broken parsers and validators elsewhere.</summary>
    public static readonly string[] NastyTokens =
    [
        "1e400", "-1e400", "nan", "NaN", "inf", "-inf", ".inf", "99999999999999999999", "-99999999999999999999", "-1", "0",
        "2147483648", "9223372036854775808", "\"\"", "[]", "{}", "[[[[[[[[[[", "]]]]", "\"\\u0000\"", "\u0000", "\t", "\r",
        "~", "null", "true", "*a", "&a x", "!!python/object:os.system", "'", "\"", "#", "=", ":", ",", "\\", "1.5", "0x10", "１",
    ];

    /// <summary>One to four byte-level mutations of <paramref name="original"/>.</summary>
    public static Gen<byte[]> Bytes(byte[] original) =>
        Gen.Int[1, 4].SelectMany(count => Step(original).Array[count]).Select(steps =>
        {
            var bytes = original;
            foreach (var step in steps) bytes = step(bytes);
            return bytes;
        });

    /// <summary>Byte mutations, token replacements with <see cref="NastyTokens"/>, or both.</summary>
    public static Gen<byte[]> Text(string original)
    {
        var utf8 = Encoding.UTF8.GetBytes(original);
        var tokens = Gen.Int[1, 3].SelectMany(count => Gen.Int[0, int.MaxValue].Select(Gen.Int[0, NastyTokens.Length - 1]).Array[count])
            .Select(replacements => Encoding.UTF8.GetBytes(ReplaceTokens(original, replacements)));
        return Gen.Frequency((2, Bytes(utf8)), (3, tokens), (1, tokens.SelectMany(Bytes)));
    }

    private static string ReplaceTokens(string text, (int Position, int Token)[] replacements)
    {
        foreach (var (position, token) in replacements)
        {
            var words = TokenSpans(text);
            if (words.Count == 0) return text + NastyTokens[token];
            var (start, length) = words[position % words.Count];
            text = text[..start] + NastyTokens[token] + text[(start + length)..];
        }
        return text;
    }

    /// <summary>Runs of letters, digits and . + - _ (keys, numbers, names).</summary>
    private static List<(int Start, int Length)> TokenSpans(string text)
    {
        var spans = new List<(int, int)>();
        for (var i = 0; i < text.Length;)
        {
            if (!IsWord(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && IsWord(text[i])) i++;
            spans.Add((start, i - start));
        }
        return spans;
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c is '.' or '+' or '-' or '_';

    private static Gen<Func<byte[], byte[]>> Step(byte[] original)
    {
        var position = Gen.Int[0, Math.Max(0, original.Length)];
        return Gen.OneOf(
            // flip one bit
            Gen.Select(position, Gen.Int[0, 7], (p, bit) => (Func<byte[], byte[]>)(b => Edit(b, p, copy => copy[Math.Min(p, copy.Length - 1)] ^= (byte)(1 << bit)))),
            // overwrite a byte
            Gen.Select(position, Gen.Byte, (p, value) => (Func<byte[], byte[]>)(b => Edit(b, p, copy => copy[Math.Min(p, copy.Length - 1)] = value))),
            // cut the file short
            position.Select(p => (Func<byte[], byte[]>)(b => b[..Math.Min(p, b.Length)])),
            // insert random bytes
            Gen.Select(position, Gen.Byte.Array[1, 16], (p, insert) => (Func<byte[], byte[]>)(b => [.. b[..Math.Min(p, b.Length)], .. insert, .. b[Math.Min(p, b.Length)..]])),
            // delete a range
            Gen.Select(position, Gen.Int[1, 64], (p, n) => (Func<byte[], byte[]>)(b => [.. b[..Math.Min(p, b.Length)], .. b[Math.Min(b.Length, p + n)..]])),
            // duplicate a range
            Gen.Select(position, Gen.Int[1, 64], (p, n) => (Func<byte[], byte[]>)(b => [.. b[..Math.Min(b.Length, p + n)], .. b[Math.Min(p, b.Length)..]])),
            // a little-endian 64-bit or 32-bit field set to a huge or negative value
            Gen.Select(position, Gen.Int[0, 4].Select(i => new[] { long.MaxValue, -1L, 1L << 40, int.MaxValue, 0L }[i]), (p, value) => (Func<byte[], byte[]>)(b =>
            {
                if (b.Length < 8) return b;
                var copy = (byte[])b.Clone();
                BitConverter.GetBytes(value).CopyTo(copy, Math.Min(p, copy.Length - 8));
                return copy;
            })));
    }

    private static byte[] Edit(byte[] bytes, int position, Action<byte[]> edit)
    {
        if (bytes.Length == 0) return bytes;
        var copy = (byte[])bytes.Clone();
        edit(copy);
        return copy;
    }
}
