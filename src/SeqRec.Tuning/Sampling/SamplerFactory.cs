using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Sampling;

public static class SamplerFactory
{
    public static ISampler Create(SearchAlgorithm algorithm, SearchSpace space, int seed, TpeOptions? tpe = null) => algorithm switch
    {
        SearchAlgorithm.Exhaustive => new GridSampler(space, seed),
        SearchAlgorithm.Random => new RandomSampler(space, seed),
        _ => new TpeSampler(space, seed, tpe),
    };

    /// <summary>Parses <c>--algo</c>: exhaustive, random or bayes (also accepted: grid, tpe).</summary>
    public static SearchAlgorithm Parse(string text) => text.ToLowerInvariant() switch
    {
        "exhaustive" or "grid" => SearchAlgorithm.Exhaustive,
        "random" => SearchAlgorithm.Random,
        "bayes" or "tpe" => SearchAlgorithm.Bayes,
        _ => throw new SeqRecException($"--algo: unknown algorithm '{text}' (expected exhaustive, random or bayes)"),
    };
}
