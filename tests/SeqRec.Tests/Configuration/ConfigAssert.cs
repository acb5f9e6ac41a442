using SeqRec.Configuration;
using SeqRec.Tests.Models;
using Xunit;

namespace SeqRec.Tests.Configuration;

internal static class ConfigAssert
{
    public static ResolvedConfig Resolve(ConfigRequest request) => ConfigResolver.Resolve(request, TinyModels.Registry);

    /// <summary>Resolving fails; returns the error lines.</summary>
    public static IReadOnlyList<string> Fails(ConfigRequest request)
    {
        var e = Assert.Throws<ConfigException>(() => Resolve(request));
        return e.Errors.Select(x => x.ToString()).ToList();
    }

    public static IReadOnlyList<string> FailsWithSets(params string[] sets) => Fails(new ConfigRequest { Model = "lightsans", Sets = sets });
}
