using System.Text.RegularExpressions;
using SeqRec.Evaluation;
using SeqRec.Training;
using Xunit;

namespace SeqRec.Tests.Training;

public class TrainingOutlookTests
{
    [Fact]
    public void The_epochs_announced_to_an_early_stop_are_the_epochs_training_still_runs()
    {
        const int stoppingStep = 3;
        var log = new StringWriter();
        var observer = new PlainTextTrainingObserver(log);
        observer.TrainingStarted(new TrainingStart(0, 100, 1, 10, false) { StoppingStep = stoppingStep, EvalStep = 1 });

        var state = EarlyStopping.Initial;
        var epoch = 0;
        var announced = new List<int>();
        var actual = new List<int>();
        // One improvement, then nothing: note what each outlook announces, then count what really follows.
        foreach (var score in new[] { 0.5, 0.4, 0.4, 0.3, 0.2 })
        {
            observer.EpochTrained(new EpochRecord(epoch, 1, 1, 10, 1, 0, null, null, null, false));
            state = state.Update(score, epoch, stoppingStep);
            log.GetStringBuilder().Clear();
            observer.Evaluated(new EvaluationReport("valid", epoch, MetricValues.Empty, 0.1, "mrr@10", state));
            if (state.ShouldStop) break;
            announced.Add(int.Parse(Regex.Match(log.ToString(), @"if the next (\d+) epochs bring no improvement").Groups[1].Value));
            var (probe, further) = (state, 0);
            while (!probe.ShouldStop) (probe, further) = (probe.Update(0.0, epoch + further + 1, stoppingStep), further + 1);
            actual.Add(further);
            epoch++;
        }

        Assert.Equal(actual, announced);
        Assert.Equal([stoppingStep + 1, stoppingStep, stoppingStep - 1, stoppingStep - 2], announced);
    }
}
