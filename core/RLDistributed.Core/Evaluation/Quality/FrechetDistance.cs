using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two feature sets:
/// ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2·Tr (Σ₁^½ Σ₂ Σ₁^½)^½, in float64.
/// </summary>
public static class FrechetDistance
{
    /// <summary>
    /// Tr (Σ₁Σ₂)^½ is computed as Tr (Σ₁^½ Σ₂ Σ₁^½)^½: the two matrices are similar, and the second is symmetric
    /// positive semi-definite, so both square roots come from symmetric eigendecompositions (eigh) with tiny negative
    /// eigenvalues of rank-deficient covariances clamped to zero. No general (non-symmetric) matrix square root, whose
    /// iterations go complex or stall on singular covariances, is involved.
    /// </summary>
    public static double Compute(FeatureStatistics first, FeatureStatistics second)
    {
        if (first.Dimensions != second.Dimensions)
            throw new ArgumentException($"feature dimensions differ: {first.Dimensions} and {second.Dimensions}");
        using var scope = NewDisposeScope();
        var d = first.Dimensions;
        var mean1 = tensor(first.Mean, dtype: ScalarType.Float64);
        var mean2 = tensor(second.Mean, dtype: ScalarType.Float64);
        var cov1 = tensor(first.Covariance, dtype: ScalarType.Float64).reshape(d, d);
        var cov2 = tensor(second.Covariance, dtype: ScalarType.Float64).reshape(d, d);
        var root1 = SymmetricSquareRoot(cov1);
        var product = root1.matmul(cov2).matmul(root1);
        var traceOfRoot = EigenvaluesOfSymmetric(product).clamp_min(0).sqrt().sum();
        var distance = (mean1 - mean2).square().sum() + cov1.trace() + cov2.trace() - 2 * traceOfRoot;
        // Rounding can leave −1e-12 for identical inputs; a distance is never negative.
        return Math.Max(0.0, distance.item<double>());
    }

    /// <summary>A^½ = V·diag(√max(λ, 0))·Vᵀ of a symmetric positive semi-definite matrix.</summary>
    public static Tensor SymmetricSquareRoot(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh(Symmetrised(matrix));
        var root = (vectors * values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.T);
        return root.MoveToOuterDisposeScope();
    }

    private static Tensor EigenvaluesOfSymmetric(Tensor matrix) => linalg.eigvalsh(Symmetrised(matrix));

    /// <summary>(A + Aᵀ)/2: removes the rounding asymmetry of a product that is symmetric in exact arithmetic.</summary>
    private static Tensor Symmetrised(Tensor matrix) => (matrix + matrix.T) * 0.5;
}
