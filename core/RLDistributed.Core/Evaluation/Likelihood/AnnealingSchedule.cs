namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>The inverse temperatures β_0 = 0 &lt; β_1 &lt; … &lt; β_K = 1 of the geometric path base^(1−β)·target^β.</summary>
public static class AnnealingSchedule
{
    /// <summary>
    /// β_k = (s(k) − s(0))/(s(K) − s(0)) with s(k) = sigmoid(δ(2k/K − 1)): dense at both ends, where a peaked
    /// target moves the intermediate distributions most per unit of β. δ → 0 gives the linear schedule.
    /// </summary>
    public static double[] Sigmoid(int distributions, double sharpness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(distributions, 1);
        var betas = new double[distributions + 1];
        if (sharpness < 1e-6)
        {
            for (var k = 0; k <= distributions; k++) betas[k] = k / (double)distributions;
            return betas;
        }
        double S(int k) => 1.0 / (1.0 + Math.Exp(-sharpness * (2.0 * k / distributions - 1.0)));
        var (low, high) = (S(0), S(distributions));
        for (var k = 0; k <= distributions; k++) betas[k] = (S(k) - low) / (high - low);
        betas[0] = 0;
        betas[distributions] = 1;
        return betas;
    }
}
