using System.Runtime;
using SeqRec.Modeling;
using Xunit;

namespace SeqRec.Tests.Training;

// Collections are process-wide: run alone, so no other test's allocations or scopes interfere.
[Collection(TorchGlobalRandomCollection.Name)]
public class NoCollectionScopeTests
{
    [Fact]
    public void No_collection_runs_inside_the_scope_and_the_runtime_is_back_to_normal_after_it()
    {
        using (var scope = NoCollectionScope.Begin())
        {
            Assert.True(scope.IsActive);
            var before = GC.CollectionCount(0); // starting the region may itself collect once

            var keep = new List<byte[]>();
            for (var i = 0; i < 20_000; i++) keep.Add(new byte[1024]); // 20 MB: without the scope, several gen-0 collections
            Assert.Equal(before, GC.CollectionCount(0));
            GC.KeepAlive(keep);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_nested_scope_leaves_the_outer_one_in_charge()
    {
        using var outer = NoCollectionScope.Begin();
        using (var inner = NoCollectionScope.Begin()) Assert.True(outer.IsActive);
        Assert.True(outer.IsActive);
    }
}
