using Xunit;

namespace SeqRec.Tests.Models;

/// <summary>
/// Tests that compare results under torch.manual_seed: dropout and initialisation draw from libtorch's global
/// generator, so these must not run while any other test draws random numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchRandomState
{
    public const string Name = "global torch random state";
}
