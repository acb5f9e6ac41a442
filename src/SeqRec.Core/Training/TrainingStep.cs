using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Training;

/// <summary>The phases of a training step, in order, as <see cref="TrainingStep.Run"/> reports them.</summary>
public enum StepPhase { Forward, Backward, Optimizer }

/// <summary>What one training step produced: the batch's mean loss and the values of its named terms.</summary>
public readonly record struct StepResult(double Loss, IReadOnlyList<KeyValuePair<string, double>> Parts);

/// <summary>
/// One optimisation step as RecBole's trainer takes it: zero the gradients, <c>calculate_loss</c>, backward, optional
/// gradient-norm clipping, Adam with L2 weight decay. The trainer, the step profiler and the benchmarks all use it,
/// so what they measure is what training runs.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly SequentialRecommender _model;
    private readonly TrainerConfig _config;
    private readonly IReadOnlyList<Parameter> _parameters;

    public TrainingStep(SequentialRecommender model, TrainerConfig config)
    {
        _model = model;
        _config = config;
        _parameters = [.. model.parameters()];
        // PyTorch's Adam defaults, spelled out: TorchSharp's optim.Adam factory defaults beta2 to 0.99.
        Optimizer = new Adam(_parameters, lr: config.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: config.WeightDecay);
    }

    /// <summary>The optimizer, whose state is part of the resume state.</summary>
    public Adam Optimizer { get; }

    /// <summary>
    /// Runs one step on <paramref name="batch"/>; a NaN loss stops before backward and the update (as in RecBole, the
    /// caller decides what to do). <paramref name="phaseEnded"/>, if given, is called as each phase ends.
    /// </summary>
    public StepResult Run(Batch batch, Action<StepPhase>? phaseEnded = null)
    {
        using var noCollection = NoCollectionScope.Begin();
        using var scope = NewDisposeScope();
        Optimizer.zero_grad();
        var loss = _model.CalculateLoss(batch);
        double value = loss.Total.item<float>();
        var parts = loss.Parts.Count == 0
            ? []
            : loss.Parts.Select(p => KeyValuePair.Create(p.Name, (double)p.Value.item<float>())).ToArray();
        phaseEnded?.Invoke(StepPhase.Forward);
        if (double.IsNaN(value)) return new StepResult(value, parts);
        loss.Total.backward();
        phaseEnded?.Invoke(StepPhase.Backward);
        if (_config.ClipGradNorm is { } maxNorm) nn.utils.clip_grad_norm_(_parameters, maxNorm);
        Optimizer.step();
        phaseEnded?.Invoke(StepPhase.Optimizer);
        return new StepResult(value, parts);
    }

    public void Dispose() => Optimizer.Dispose();
}
