using SeqRec.Configuration;
using SeqRec.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

public class StepProfilerTests(ITestOutputHelper output)
{
    [Fact]
    public void The_profiler_splits_a_step_into_its_phases()
    {
        var data = SyntheticData.Create(users: 200, nItems: 300, maxSeqLength: 20);
        manual_seed(2);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength, hiddenSize: 64);

        var profile = TrainingStepProfiler.Profile(model, new TrainerConfig { ClipGradNorm = 5 }, data.TrainBatches(0, 64, 1), warmupSteps: 2);

        output.WriteLine(profile.ToString());
        Assert.True(profile.Steps > 3);
        Assert.All([profile.ForwardMs, profile.BackwardMs, profile.OptimizerMs], ms => Assert.True(ms > 0));
        Assert.Equal(profile.DataMs + profile.ForwardMs + profile.BackwardMs + profile.OptimizerMs, profile.TotalMs, 9);
    }
}
