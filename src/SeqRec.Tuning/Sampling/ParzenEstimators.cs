namespace SeqRec.Tuning.Sampling;

/// <summary>
/// A Parzen estimator over the indices of a choice: the observed counts plus the prior weight spread evenly over
/// the k choices, so an unseen choice keeps a non-zero probability.
/// </summary>
internal sealed class CategoricalParzen
{
    private readonly double[] _probabilities;

    public CategoricalParzen(int choices, IEnumerable<int> observed, double priorWeight)
    {
        _probabilities = Enumerable.Repeat(priorWeight / choices, choices).ToArray();
        foreach (var index in observed) _probabilities[index] += 1.0;
        var total = _probabilities.Sum();
        for (var i = 0; i < choices; i++) _probabilities[i] /= total;
    }

    public double LogProbability(int index) => Math.Log(_probabilities[index]);

    public int Sample(Random random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < _probabilities.Length; i++)
        {
            u -= _probabilities[i];
            if (u < 0) return i;
        }
        return _probabilities.Length - 1;
    }
}

/// <summary>
/// A mixture of Gaussians truncated to [low, high] (in search space: the logarithm for loguniform): one component
/// per observation plus a wide prior component at the centre of the range. Each observation's bandwidth is the
/// larger gap to its sorted neighbours, clipped to [range / min(100, 1 + n), range] (Bergstra et al. 2011). For a
/// quantised range, densities become the probability mass of the rounding bucket.
/// </summary>
internal sealed class TruncatedGaussianMixture
{
    private readonly double _low;
    private readonly double _high;
    private readonly double? _step;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _weights;
    private readonly double[] _normalisers;

    public TruncatedGaussianMixture(double low, double high, double? step, IReadOnlyList<double> observations, double priorWeight)
    {
        _low = low;
        _high = high;
        _step = step;
        var range = high - low;
        var prior = (Mu: (low + high) / 2, Weight: priorWeight, IsPrior: true);
        var points = observations.Select(x => (Mu: x, Weight: 1.0, IsPrior: false)).Append(prior).OrderBy(p => p.Mu).ToArray();
        var minSigma = range / Math.Min(100.0, 1.0 + points.Length);

        _mus = new double[points.Length];
        _sigmas = new double[points.Length];
        _weights = new double[points.Length];
        _normalisers = new double[points.Length];
        var totalWeight = points.Sum(p => p.Weight);
        for (var i = 0; i < points.Length; i++)
        {
            var left = i > 0 ? points[i].Mu - points[i - 1].Mu : 0;
            var right = i < points.Length - 1 ? points[i + 1].Mu - points[i].Mu : 0;
            _mus[i] = points[i].Mu;
            _sigmas[i] = points[i].IsPrior ? range : Math.Clamp(Math.Max(left, right), minSigma, range);
            _weights[i] = points[i].Weight / totalWeight;
            _normalisers[i] = Math.Max(Normal.Cdf((high - _mus[i]) / _sigmas[i]) - Normal.Cdf((low - _mus[i]) / _sigmas[i]), 1e-300);
        }
    }

    /// <summary>The log density at <paramref name="x"/> (log mass of its bucket for a quantised range).</summary>
    public double LogDensity(double x)
    {
        var total = 0.0;
        for (var i = 0; i < _mus.Length; i++)
        {
            double part;
            if (_step is { } q)
            {
                var lower = Math.Max(_low, x - (q / 2));
                var upper = Math.Min(_high, x + (q / 2));
                part = Normal.Cdf((upper - _mus[i]) / _sigmas[i]) - Normal.Cdf((lower - _mus[i]) / _sigmas[i]);
            }
            else
            {
                part = Normal.Pdf((x - _mus[i]) / _sigmas[i]) / _sigmas[i];
            }
            total += _weights[i] * part / _normalisers[i];
        }
        return Math.Log(Math.Max(total, 1e-300));
    }

    public double Sample(Random random)
    {
        var component = PickComponent(random);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var x = _mus[component] + (_sigmas[component] * Normal.Sample(random));
            if (x >= _low && x <= _high) return x;
        }
        return Math.Clamp(_mus[component], _low, _high);
    }

    private int PickComponent(Random random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < _weights.Length; i++)
        {
            u -= _weights[i];
            if (u < 0) return i;
        }
        return _weights.Length - 1;
    }
}
