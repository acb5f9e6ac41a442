using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Sampling;

/// <summary>
/// <c>bayes</c>: a Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio, Kégl, NeurIPS 2011). After
/// <see cref="TpeOptions.StartupTrials"/> random trials, the scored trials are split at the <see cref="TpeOptions.Gamma"/>
/// quantile into good and bad; per parameter, a Parzen estimator l(x) is fitted to the good values and g(x) to the
/// bad ones, <see cref="TpeOptions.Candidates"/> candidates are drawn from l, and the one maximising l(x)/g(x) (the
/// expected-improvement criterion under this model) is taken. Parameters are modelled independently, as in hyperopt.
/// </summary>
public sealed class TpeSampler(SearchSpace space, int seed, TpeOptions? options = null) : ISampler
{
    private readonly TpeOptions _options = options ?? new TpeOptions();

    public ParamAssignment? Propose(IReadOnlyList<TrialRecord> history, int trialNumber)
    {
        var random = Seeds.ForTrial(seed, trialNumber);
        var scored = history.Where(t => t.HasScore).OrderByDescending(t => t.BestValid!.Value).ThenBy(t => t.Number).ToList();
        if (scored.Count < Math.Max(_options.StartupTrials, 2))
            return RandomSampler.ProposeUnseen(space, history, random, r => space.Sample(r));

        var goodCount = Math.Clamp(Math.Min((int)Math.Ceiling(_options.Gamma * scored.Count), _options.MaxGood), 1, scored.Count - 1);
        var good = scored.Take(goodCount).Select(t => t.Parameters).ToList();
        var bad = scored.Skip(goodCount).Select(t => t.Parameters).ToList();
        return RandomSampler.ProposeUnseen(space, history, random, r => Draw(good, bad, r));
    }

    private ParamAssignment Draw(IReadOnlyList<ParamAssignment> good, IReadOnlyList<ParamAssignment> bad, Random random) =>
        new(space.Domains.Select(d => new KeyValuePair<string, object>(d.Path, DrawOne(d, good, bad, random))));

    private object DrawOne(ParamDomain domain, IReadOnlyList<ParamAssignment> good, IReadOnlyList<ParamAssignment> bad, Random random)
    {
        switch (domain)
        {
            case ChoiceDomain choice:
            {
                var l = new CategoricalParzen(choice.Values.Count, good.Select(p => choice.IndexOf(p[choice.Path])), _options.PriorWeight);
                var g = new CategoricalParzen(choice.Values.Count, bad.Select(p => choice.IndexOf(p[choice.Path])), _options.PriorWeight);
                var best = Best(() => l.Sample(random), i => l.LogProbability(i) - g.LogProbability(i));
                return choice.Values[best];
            }
            case NumericDomain numeric:
            {
                var l = Mixture(numeric, good);
                var g = Mixture(numeric, bad);
                // Quantised candidates are snapped to their grid value first, so l and g score the value actually used.
                var best = Best(() => numeric.ToSearch(numeric.FromSearch(l.Sample(random))), x => l.LogDensity(x) - g.LogDensity(x));
                return numeric.FromSearch(best);
            }
            default:
                return domain.Sample(random);
        }
    }

    private TruncatedGaussianMixture Mixture(NumericDomain domain, IReadOnlyList<ParamAssignment> points) =>
        new(domain.SearchLow, domain.SearchHigh, domain.Step, points.Select(p => domain.ToSearch(p[domain.Path])).ToList(), _options.PriorWeight);

    private T Best<T>(Func<T> sample, Func<T, double> score)
    {
        var best = sample();
        var bestScore = score(best);
        for (var i = 1; i < _options.Candidates; i++)
        {
            var candidate = sample();
            var candidateScore = score(candidate);
            if (candidateScore > bestScore)
            {
                best = candidate;
                bestScore = candidateScore;
            }
        }
        return best;
    }
}
