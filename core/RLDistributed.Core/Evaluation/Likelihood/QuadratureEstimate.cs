namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// log Z of a 2-D density by a Riemann sum on a square grid.
/// </summary>
/// <param name="LogNormalizer">log Σ p̃(cell centre)·cell area.</param>
/// <param name="Extent">The grid covers [−Extent, Extent]².</param>
/// <param name="PointsPerAxis">Grid points along each axis.</param>
/// <param name="BorderGap">max log p̃ − max log p̃ on the border: tens of nats or more means the mass outside the box is negligible.</param>
public sealed record QuadratureEstimate(double LogNormalizer, double Extent, int PointsPerAxis, double BorderGap);
