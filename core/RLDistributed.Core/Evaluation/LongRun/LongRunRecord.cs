namespace RLDistributed.Core.Evaluation.LongRun;

/// <summary>The chains' state after <paramref name="Step"/> Langevin steps.</summary>
/// <param name="Step">Steps taken.</param>
/// <param name="MeanLogDensity">Mean level-0 log p̃(x) = F(a′_1·x, 0)/s_0² over the chains.</param>
/// <param name="MinValue">Smallest coordinate (pixel) value of any chain.</param>
/// <param name="MaxValue">Largest coordinate (pixel) value of any chain.</param>
/// <param name="OutOfRangeShare">Share of coordinates outside [−1, 1], the data range: saturation shows here.</param>
/// <param name="MeanDistance">Mean Euclidean distance of a chain from its start.</param>
/// <param name="ModesCovered">For a 2-D mixture: modes holding at least half their fair share of the chains (null otherwise).</param>
/// <param name="ShareNearModes">For a 2-D mixture: share of chains within 3 mode std of a mode (null otherwise).</param>
/// <param name="ModeShares">For a 2-D mixture: share of chains nearest each mode, in the mixture's order (null otherwise).</param>
public sealed record LongRunRecord(int Step, double MeanLogDensity, double MinValue, double MaxValue, double OutOfRangeShare, double MeanDistance,
    int? ModesCovered = null, double? ShareNearModes = null, IReadOnlyList<double>? ModeShares = null);
