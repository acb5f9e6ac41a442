namespace SeqRec.Modeling;

/// <summary>
/// A module that can trade time for memory: keep less for backward and recompute it there
/// (<c>trainer.recompute_activations</c> switches it on for every such module of a model).
/// </summary>
public interface IRecomputesActivations
{
    bool RecomputeActivations { get; set; }
}
