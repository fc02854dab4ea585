using RLDistributed.Core.Data;
using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>MMD² against sets whose answer is known: the same set, a second draw, a shifted copy, two single points.</summary>
public sealed class MaximumMeanDiscrepancyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Squared_SameSetZero_SecondDrawSmall_ShiftedSetLarge()
    {
        using var first = Points(ToyDatasets.Create("8gaussians", 1000, 1));
        using var second = Points(ToyDatasets.Create("8gaussians", 1000, 2));
        using var shifted = first + 0.1;

        var itself = MaximumMeanDiscrepancy.Squared(first, first);
        var sameDistribution = MaximumMeanDiscrepancy.Squared(first, second);
        var moved = MaximumMeanDiscrepancy.Squared(first, shifted);

        output.WriteLine($"MMD²: itself {itself:E2}, second draw {sameDistribution:F5}, shifted by 0.1 {moved:F5}");
        Assert.Equal(0.0, itself, 12);
        Assert.InRange(sameDistribution, 1e-6, 0.02);
        Assert.True(moved > 10 * sameDistribution, $"shifted {moved} vs second draw {sameDistribution}");
    }

    [Fact]
    public void Squared_SinglePointsOneKernel_MatchesClosedForm()
    {
        // One point each, one bandwidth h: MMD² = 2 − 2·exp(−d²/(2h²)).
        using var a = tensor(new float[] { 0, 0 }).reshape(1, 2);
        using var b = tensor(new float[] { 0.3f, 0.4f }).reshape(1, 2);

        var value = MaximumMeanDiscrepancy.Squared(a, b, [0.5]);

        Assert.Equal(2 - 2 * Math.Exp(-0.25 / 0.5), value, 6);
    }

    private static Tensor Points(IDataset data)
    {
        var values = new float[2 * data.Count];
        for (var i = 0; i < data.Count; i++) data.CopyExample(i, values.AsSpan(2 * i, 2));
        return tensor(values).reshape(data.Count, 2);
    }
}
