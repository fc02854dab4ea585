namespace RLDistributed.Worker.Collective;

/// <summary>The place of one rank in one ring: run, membership generation, rank and world size.</summary>
/// <param name="RunId">The training run.</param>
/// <param name="Generation">The membership generation the ring was formed in.</param>
/// <param name="Rank">This rank, 0 .. <paramref name="WorldSize"/>−1.</param>
/// <param name="WorldSize">The number of ranks in the ring.</param>
public readonly record struct RingIdentity(string RunId, long Generation, int Rank, int WorldSize)
{
    /// <summary>The rank this one receives from: (rank − 1) mod N.</summary>
    public int LeftRank => (Rank - 1 + WorldSize) % WorldSize;

    /// <summary>The rank this one sends to: (rank + 1) mod N.</summary>
    public int RightRank => (Rank + 1) % WorldSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(RunId))
        {
            throw new ArgumentException("Run id must not be empty.", nameof(RunId));
        }

        if (WorldSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WorldSize), WorldSize, $"World size ({WorldSize}) must be at least 1.");
        }

        if (Rank < 0 || Rank >= WorldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(Rank), Rank, $"Rank ({Rank}) must lie in 0 .. {WorldSize - 1}.");
        }
    }
}
