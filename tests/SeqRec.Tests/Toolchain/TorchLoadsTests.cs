using TorchSharp;
using Xunit;

namespace SeqRec.Tests.Toolchain;

public class TorchLoadsTests
{
    [Fact]
    public void A_tensor_op_runs_on_the_cpu()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }

    [Fact]
    public void The_test_host_runs_with_huge_pages_for_malloc()
    {
        // Set by tests/seqrec.runsettings; libtorch's allocations page-fault much less with it.
        Assert.Contains("glibc.malloc.hugetlb=1", Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "");
    }
}
