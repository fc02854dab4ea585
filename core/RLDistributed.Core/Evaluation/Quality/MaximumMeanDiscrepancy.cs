using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>
/// Maximum mean discrepancy between two point sets with a sum of Gaussian kernels
/// k(a, b) = Σ_h exp(−‖a − b‖²/(2h²)), the biased (V-statistic) estimate
/// MMD² = mean k(X, X) + mean k(Y, Y) − 2·mean k(X, Y): never negative, exactly 0 for identical sets, and of order
/// 1/n for two samples of one distribution. Several bandwidths, because one would see only one scale.
/// </summary>
public static class MaximumMeanDiscrepancy
{
    /// <summary>Default bandwidths for data scaled to about [−1, 1]: from a toy mode's width (0.05) to the whole range.</summary>
    public static IReadOnlyList<double> DefaultBandwidths { get; } = [0.05, 0.1, 0.2, 0.5, 1.0];

    /// <summary>MMD² between rows of <paramref name="first"/> [N, D] and <paramref name="second"/> [M, D].</summary>
    public static double Squared(Tensor first, Tensor second, IReadOnlyList<double>? bandwidths = null)
    {
        if (first.dim() != 2 || second.dim() != 2 || first.shape[1] != second.shape[1])
            throw new ArgumentException($"expected two [N, D] sets with the same D, got [{string.Join(", ", first.shape)}] and [{string.Join(", ", second.shape)}]");
        using var scope = NewDisposeScope();
        var x = first.detach().to(ScalarType.Float64);
        var y = second.detach().to(ScalarType.Float64);
        var widths = bandwidths ?? DefaultBandwidths;
        var value = MeanKernel(x, x, widths) + MeanKernel(y, y, widths) - 2 * MeanKernel(x, y, widths);
        return Math.Max(0.0, value);
    }

    private static double MeanKernel(Tensor a, Tensor b, IReadOnlyList<double> widths)
    {
        using var scope = NewDisposeScope();
        var distances = cdist(a, b).square();
        var total = 0.0;
        foreach (var h in widths) total += (-distances / (2 * h * h)).exp().mean().item<double>();
        return total;
    }
}
