using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// The AIS base N(μ, diag σ²), float64. AIS runs in its whitened coordinates z = (x − μ)/σ, where the base is
/// N(0, I) and one MALA step size suits every dimension; the target's normaliser gains Σ log σ from the change of variables.
/// </summary>
public sealed class GaussianBase : IDisposable
{
    /// <summary>A base with the given per-dimension mean and standard deviation (shape of one example).</summary>
    public GaussianBase(Tensor mean, Tensor std)
    {
        if (!mean.shape.SequenceEqual(std.shape)) throw new ArgumentException("mean and std must have the same shape");
        if (std.le(0).any().item<bool>()) throw new ArgumentException("every standard deviation must be positive", nameof(std));
        // Owned by this object (disposed by Dispose), not by whatever dispose scope is open now.
        Mean = mean.to(ScalarType.Float64).detach().clone().DetachFromDisposeScope();
        Std = std.to(ScalarType.Float64).detach().clone().DetachFromDisposeScope();
        LogDeterminant = Std.log().sum().item<double>();
    }

    /// <summary>μ, float64, shape of one example.</summary>
    public Tensor Mean { get; }

    /// <summary>σ, float64, shape of one example.</summary>
    public Tensor Std { get; }

    /// <summary>Σ log σ: log of the Jacobian of x = μ + σ·z.</summary>
    public double LogDeterminant { get; }

    /// <summary>The Gaussian fitted to rows of <paramref name="data"/> [N, …], each σ at least <paramref name="minimumStd"/>.</summary>
    public static GaussianBase FitTo(Tensor data, double minimumStd = 1e-2)
    {
        using var scope = NewDisposeScope();
        var rows = data.to(ScalarType.Float64);
        return new GaussianBase(rows.mean([0]), rows.std(0).clamp_min(minimumStd));
    }

    /// <summary>x = μ + σ·z for rows z.</summary>
    public Tensor ToData(Tensor z) => Mean.to(z.device) + Std.to(z.device) * z;

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }
}
