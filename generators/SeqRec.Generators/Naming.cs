using System.Text;

namespace SeqRec.Generators
{
    internal static class Naming
    {
        /// <summary>KInterests → k_interests, NHeads → n_heads, ValidAndTest → valid_and_test.</summary>
        public static string SnakeCase(string name)
        {
            var sb = new StringBuilder(name.Length + 8);
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (char.IsUpper(c) && i > 0)
                {
                    var previous = name[i - 1];
                    var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                        sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }

        /// <summary>An enum member's config spelling: all-caps names stay (CE, BPR), others become snake_case (gelu).</summary>
        public static string EnumSpelling(string member)
        {
            foreach (var c in member)
            {
                if (char.IsLower(c)) return SnakeCase(member);
            }
            return member;
        }

        public static bool IsSnakeCase(string name)
        {
            if (name.Length == 0 || !char.IsLower(name[0])) return false;
            foreach (var c in name)
            {
                if (!(char.IsLower(c) || char.IsDigit(c) || c == '_')) return false;
            }
            return true;
        }
    }
}
