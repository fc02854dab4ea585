namespace RLDistributed.Core.Training;

/// <summary>
/// The global batch of one step: which examples, at which level, flipped or not, ordered by level.
/// A pure function of (seed, step, globalBatch, datasetSize, T) (design.md, step 2), so every rank
/// computes the same plan with no round trip, and rank r takes a contiguous slice: data and levels
/// are sharded together.
/// </summary>
public sealed record BatchPlan(long Step, int[] ExampleIndices, int[] Levels, bool[] Flips)
{
    /// <summary>Size of the global batch.</summary>
    public int GlobalBatch => ExampleIndices.Length;

    /// <summary>
    /// The contiguous slice [Start, Start+Count) of rank <paramref name="rank"/> among <paramref name="worldSize"/>:
    /// the first (G mod N) ranks take one example more.
    /// </summary>
    public (int Start, int Count) SliceOf(int rank, int worldSize)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "the world size must be at least 1");
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {worldSize})");
        var baseCount = GlobalBatch / worldSize;
        var extra = GlobalBatch % worldSize;
        var start = rank * baseCount + Math.Min(rank, extra);
        return (start, baseCount + (rank < extra ? 1 : 0));
    }
}
