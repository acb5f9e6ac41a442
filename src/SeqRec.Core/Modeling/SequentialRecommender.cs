using SeqRec.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace SeqRec.Modeling;

/// <summary>
/// The contract every next-item model implements and the trainer and evaluator rely on. Placeholder until the
/// models issue lands: the item embedding, losses and scoring move here.
/// </summary>
public abstract class SequentialRecommender(string name) : nn.Module(name)
{
}

/// <summary>A sequential recommender configured by the section record <typeparamref name="TConfig"/>.</summary>
public abstract class SequentialRecommender<TConfig>(string name, TConfig config) : SequentialRecommender(name)
    where TConfig : IConfigSection<TConfig>
{
    public TConfig Config { get; } = config;
}
