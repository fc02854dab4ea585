using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

public sealed class FrechetDistanceTests
{
    [Fact]
    public void Compute_DiagonalCovariances_MatchesClosedForm()
    {
        // With commuting (diagonal) covariances the distance is ‖μ₁ − μ₂‖² + Σ(√a − √b)².
        double[] a = [0.5, 2.0, 0.01], b = [1.5, 0.2, 0.04];
        var first = new FeatureStatistics([0, 1, 2], Diagonal(a), 10);
        var second = new FeatureStatistics([1, 1, 0], Diagonal(b), 10);
        var expected = 1 + 0 + 4 + a.Zip(b).Sum(p => Math.Pow(Math.Sqrt(p.First) - Math.Sqrt(p.Second), 2));

        Assert.Equal(expected, FrechetDistance.Compute(first, second), 10);
    }

    [Fact]
    public void Compute_RankDeficientFeatures_SameSetIsZeroAndShiftIsTheSquaredShift()
    {
        // 20 vectors in 64 dimensions: singular covariances, as FD on few samples always has.
        using var features = randn(20, 64, dtype: ScalarType.Float64, generator: new Generator(3));
        var statistics = FeatureStatistics.FromFeatures(features);
        var shifted = FeatureStatistics.FromFeatures(features + 0.5);

        Assert.Equal(0.0, FrechetDistance.Compute(statistics, statistics), 8);
        // The zero eigenvalues of singular covariances come back as ±1e-14, whose square roots leave about 1e-6.
        Assert.Equal(64 * 0.25, FrechetDistance.Compute(statistics, shifted), 4);
    }

    [Fact]
    public void SymmetricSquareRoot_SquaresBackToTheMatrix()
    {
        using var scope = NewDisposeScope();
        var basis = randn(6, 6, dtype: ScalarType.Float64, generator: new Generator(8));
        var matrix = basis.matmul(basis.T);

        var root = FrechetDistance.SymmetricSquareRoot(matrix);

        Assert.True(root.matmul(root).allclose(matrix, rtol: 1e-9, atol: 1e-9));
    }

    [Fact]
    public void Statistics_SaveAndLoad_RoundTrip()
    {
        using var features = randn(5, 3, dtype: ScalarType.Float64, generator: new Generator(1));
        var statistics = FeatureStatistics.FromFeatures(features);
        var path = Path.Combine(Path.GetTempPath(), $"rld-stats-{Guid.NewGuid():N}.stats");
        try
        {
            statistics.Save(path);
            var loaded = FeatureStatistics.TryLoad(path)!;

            Assert.Equal(statistics.Mean, loaded.Mean);
            Assert.Equal(statistics.Covariance, loaded.Covariance);
            Assert.Equal(5, loaded.Count);
            File.WriteAllText(path, "not statistics");
            Assert.Null(FeatureStatistics.TryLoad(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double[] Diagonal(double[] values)
    {
        var matrix = new double[values.Length * values.Length];
        for (var i = 0; i < values.Length; i++) matrix[i * values.Length + i] = values[i];
        return matrix;
    }
}
