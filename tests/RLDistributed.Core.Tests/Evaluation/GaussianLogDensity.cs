using RLDistributed.Core.Evaluation.Likelihood;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>
/// log p̃(x) = c − ½(x − μ)ᵀP(x − μ), whose normaliser is known in closed form:
/// log Z = c + (d/2)·log 2π − ½·log det P.
/// </summary>
internal sealed class GaussianLogDensity(double[] mean, double[,] precision, double offset) : ILogDensity
{
    // Owned by this object for its lifetime, whatever dispose scope it was made in.
    private readonly Tensor _mean = tensor(mean, dtype: ScalarType.Float64).DetachFromDisposeScope();
    private readonly Tensor _precision = tensor(precision, dtype: ScalarType.Float64).DetachFromDisposeScope();

    public long[] ExampleShape => [mean.Length];

    public double TrueLogNormalizer =>
        offset + 0.5 * mean.Length * Math.Log(2 * Math.PI) - 0.5 * linalg.slogdet(_precision).Item2.item<double>();

    public Tensor LogDensity(Tensor x) => LogDensityAndGradient(x).LogDensity;

    public (Tensor LogDensity, Tensor Gradient) LogDensityAndGradient(Tensor x)
    {
        using var scope = NewDisposeScope();
        var centred = x.to(ScalarType.Float64) - _mean;
        var pulled = centred.matmul(_precision);
        var value = offset - 0.5 * (pulled * centred).sum(1);
        return (value.MoveToOuterDisposeScope(), (-pulled).MoveToOuterDisposeScope());
    }

    /// <summary>A d-dimensional Gaussian with standard deviations from 0.05 to 1 along rotated axes, centred away from 0.</summary>
    public static GaussianLogDensity Correlated(int dimensions, double offset)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var rotation = linalg.qr(randn(dimensions, dimensions, dtype: ScalarType.Float64, generator: generator)).Q;
        var stds = logspace(Math.Log10(0.05), 0, dimensions, dtype: ScalarType.Float64);
        var precision = rotation.matmul(diag(stds.pow(-2))).matmul(rotation.T);
        var mean = Enumerable.Range(0, dimensions).Select(i => 0.3 + 0.1 * i).ToArray();
        var values = precision.data<double>().ToArray();
        var matrix = new double[dimensions, dimensions];
        for (var i = 0; i < dimensions; i++)
            for (var j = 0; j < dimensions; j++) matrix[i, j] = values[i * dimensions + j];
        return new GaussianLogDensity(mean, matrix, offset);
    }
}
