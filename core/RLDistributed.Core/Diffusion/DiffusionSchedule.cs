namespace RLDistributed.Core.Diffusion;

/// <summary>
/// The DRL noise schedule (drl-spec.md §1–§3): 1000 DDPM betas linspace(1e-4, 0.02) grouped into
/// T levels by the authors' boundaries [0, k, 2k, …, (T−1)k, 999] with k = 1000 // (2(T−1)).
/// Arrays indexed 0..T hold the per-level factors; arrays indexed 0..T−1 hold what each of the
/// T energy levels uses (its step size s_t and loss weight w_t). Computed in float64.
/// </summary>
public sealed class DiffusionSchedule
{
    /// <summary>Smallest supported level count.</summary>
    public const int MinLevels = 2;

    /// <summary>Largest supported level count: beyond it k = 1000 // (2(T−1)) reaches 0 and the formula breaks.</summary>
    public const int MaxLevels = 100;

    /// <summary>DDPM steps the betas are defined on.</summary>
    public const int DdpmSteps = 1000;

    /// <summary>b² in s_t² = c_t²·b²·σ_{t+1}². Default 2e-4 (mcmc_step_size_b_square).</summary>
    public const double DefaultStepSizeBSquared = 2e-4;

    private DiffusionSchedule(int levels, double stepSizeBSquared, double[] a, double[] sigma, double[] alphaBar,
        double[] sigmaBar, double[] aPrime, double[] recovery, double[] stepSize, double[] weight)
    {
        Levels = levels;
        StepSizeBSquared = stepSizeBSquared;
        A = a;
        Sigma = sigma;
        AlphaBar = alphaBar;
        SigmaBar = sigmaBar;
        APrime = aPrime;
        Recovery = recovery;
        StepSize = stepSize;
        Weight = weight;
    }

    /// <summary>T, the number of energy levels (t = 0..T−1).</summary>
    public int Levels { get; }

    /// <summary>b² of the Langevin step size.</summary>
    public double StepSizeBSquared { get; }

    /// <summary>a_i, i = 0..T: the per-level signal factor.</summary>
    public IReadOnlyList<double> A { get; }

    /// <summary>σ_i = sqrt(1 − a_i²), i = 0..T.</summary>
    public IReadOnlyList<double> Sigma { get; }

    /// <summary>ā_t = ∏_{i≤t} a_i, t = 0..T.</summary>
    public IReadOnlyList<double> AlphaBar { get; }

    /// <summary>σ̄_t = sqrt(1 − ā_t²), t = 0..T.</summary>
    public IReadOnlyList<double> SigmaBar { get; }

    /// <summary>a′_i: a_i with the last entry set to 1 (a_s_prev), i = 0..T.</summary>
    public IReadOnlyList<double> APrime { get; }

    /// <summary>r_i: 1 everywhere except r_T = 0 (is_recovery), i = 0..T.</summary>
    public IReadOnlyList<double> Recovery { get; }

    /// <summary>Langevin step size s_t = sqrt(c_t²·b²)·σ_{t+1} with c_t² = σ̄_t/σ̄_0, t = 0..T−1.</summary>
    public IReadOnlyList<double> StepSize { get; }

    /// <summary>Loss weight w_t = σ_1/σ_{t+1}, t = 0..T−1.</summary>
    public IReadOnlyList<double> Weight { get; }

    /// <summary>c_t² = σ̄_t/σ̄_0 (a ratio of σ̄, not of σ̄²), t = 0..T−1.</summary>
    public double StepScaleSquared(int t) => SigmaBar[t] / SigmaBar[0];

    /// <summary>The tether coefficient per Langevin step, ½·s_t²/σ_{t+1}² = ½·b²·c_t².</summary>
    public double TetherCoefficient(int t) => 0.5 * StepSizeBSquared * StepScaleSquared(t);

    /// <summary>Builds the schedule by the authors' formula.</summary>
    /// <exception cref="ArgumentOutOfRangeException">levels outside 2..100 or b² not positive.</exception>
    public static DiffusionSchedule Create(int levels, double stepSizeBSquared = DefaultStepSizeBSquared)
    {
        if (levels is < MinLevels or > MaxLevels)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, $"levels must be between {MinLevels} and {MaxLevels}");
        if (!(stepSizeBSquared > 0) || double.IsInfinity(stepSizeBSquared))
            throw new ArgumentOutOfRangeException(nameof(stepSizeBSquared), stepSizeBSquared, "the step size b² must be positive");

        var betas = new double[DdpmSteps];
        for (var j = 0; j < DdpmSteps; j++) betas[j] = 1e-4 + (0.02 - 1e-4) * j / (DdpmSteps - 1);

        var k = DdpmSteps / (2 * (levels - 1));
        var boundaries = new int[levels + 1];
        for (var i = 0; i < levels; i++) boundaries[i] = i * k;
        boundaries[levels] = DdpmSteps - 1;

        var a = new double[levels + 1];
        a[0] = Math.Sqrt(1 - betas[0]);
        for (var i = 1; i <= levels; i++)
        {
            var product = 1.0;
            for (var j = boundaries[i - 1] + 1; j <= boundaries[i]; j++) product *= Math.Sqrt(1 - betas[j]);
            a[i] = product;
        }

        var sigma = new double[levels + 1];
        var alphaBar = new double[levels + 1];
        var sigmaBar = new double[levels + 1];
        var aPrime = new double[levels + 1];
        var recovery = new double[levels + 1];
        var running = 1.0;
        for (var i = 0; i <= levels; i++)
        {
            sigma[i] = Math.Sqrt(1 - a[i] * a[i]);
            running *= a[i];
            alphaBar[i] = running;
            sigmaBar[i] = Math.Sqrt(1 - running * running);
            aPrime[i] = i == levels ? 1.0 : a[i];
            recovery[i] = i == levels ? 0.0 : 1.0;
        }

        var stepSize = new double[levels];
        var weight = new double[levels];
        for (var t = 0; t < levels; t++)
        {
            var scaleSquared = sigmaBar[t] / sigmaBar[0];
            stepSize[t] = Math.Sqrt(scaleSquared * stepSizeBSquared) * sigma[t + 1];
            weight[t] = sigma[1] / sigma[t + 1];
        }

        return new DiffusionSchedule(levels, stepSizeBSquared, a, sigma, alphaBar, sigmaBar, aPrime, recovery, stepSize, weight);
    }
}
