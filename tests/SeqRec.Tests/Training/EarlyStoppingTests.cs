using SeqRec.Training;
using Xunit;

namespace SeqRec.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void The_first_score_is_always_an_improvement()
    {
        var state = EarlyStopping.Initial.Update(0.0, epoch: 0, stoppingStep: 10);
        Assert.True(state.Improved);
        Assert.Equal(0.0, state.BestScore);
        Assert.Equal(0, state.BestEpoch);
    }

    [Fact]
    public void A_tie_counts_as_an_improvement_and_moves_the_best_epoch()
    {
        var state = EarlyStopping.Initial.Update(0.25, 0, 10).Update(0.25, 1, 10);
        Assert.True(state.Improved);
        Assert.Equal(1, state.BestEpoch);
        Assert.Equal(0, state.Counter);
    }

    [Fact]
    public void Training_stops_once_the_counter_exceeds_stopping_step()
    {
        const int stoppingStep = 2;
        var state = EarlyStopping.Initial.Update(0.3, 0, stoppingStep);

        state = state.Update(0.2, 1, stoppingStep);
        Assert.False(state.Improved);
        Assert.Equal(1, state.Counter);
        state = state.Update(0.29, 2, stoppingStep);
        Assert.Equal(2, state.Counter);
        Assert.False(state.ShouldStop);
        state = state.Update(0.1, 3, stoppingStep);

        Assert.Equal(3, state.Counter);
        Assert.True(state.ShouldStop);
        Assert.Equal(0.3, state.BestScore);
        Assert.Equal(0, state.BestEpoch);
    }

    [Fact]
    public void An_improvement_resets_the_counter()
    {
        var state = EarlyStopping.Initial.Update(0.3, 0, 1).Update(0.2, 1, 1).Update(0.31, 2, 1).Update(0.2, 3, 1);
        Assert.Equal(1, state.Counter);
        Assert.False(state.ShouldStop);
        Assert.Equal(2, state.BestEpoch);
    }

    [Fact]
    public void A_NaN_score_never_improves()
    {
        var state = EarlyStopping.Initial.Update(double.NaN, 0, 0);
        Assert.False(state.Improved);
        Assert.True(state.ShouldStop);
    }
}
