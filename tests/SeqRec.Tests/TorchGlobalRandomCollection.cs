using Xunit;

namespace SeqRec.Tests;

/// <summary>
/// Tests that compare two runs bit for bit depend on torch's process-wide generator (initialisation and dropout).
/// Tests of other classes run in parallel and draw from the same generator, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection
{
    public const string Name = "torch global random state";
}
