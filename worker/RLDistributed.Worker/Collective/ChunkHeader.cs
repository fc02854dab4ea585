namespace RLDistributed.Worker.Collective;

/// <summary>
/// Identifies one chunk of a ring all-reduce: which run, generation and collective call it belongs to, which
/// ring step it serves, and where it lies (in floats) within the flat buffer being reduced.
/// </summary>
/// <param name="RunId">The training run.</param>
/// <param name="Generation">The membership generation; a chunk from an older ring is never accepted.</param>
/// <param name="SourceRank">The rank that sent the chunk (the receiver's left neighbour).</param>
/// <param name="Sequence">The collective call, counting up for the life of a generation.</param>
/// <param name="RingStep">Ring step 0 .. 2(N−1)−1.</param>
/// <param name="Offset">Offset in floats within the flat buffer.</param>
/// <param name="Length">Length in floats.</param>
public readonly record struct ChunkHeader(
    string RunId, long Generation, int SourceRank, long Sequence, int RingStep, long Offset, int Length)
{
    /// <summary>
    /// Throws <see cref="CollectiveProtocolException"/> naming every field of <paramref name="actual"/> that
    /// differs from this (expected) header.
    /// </summary>
    public void EnsureMatches(in ChunkHeader actual)
    {
        if (this == actual)
        {
            return;
        }

        var differences = new List<string>(7);
        AddIfDifferent(differences, "run id", RunId, actual.RunId);
        AddIfDifferent(differences, "generation", Generation, actual.Generation);
        AddIfDifferent(differences, "source rank", SourceRank, actual.SourceRank);
        AddIfDifferent(differences, "sequence", Sequence, actual.Sequence);
        AddIfDifferent(differences, "ring step", RingStep, actual.RingStep);
        AddIfDifferent(differences, "offset", Offset, actual.Offset);
        AddIfDifferent(differences, "length", Length, actual.Length);
        throw new CollectiveProtocolException(
            $"Received chunk does not match the expected one: {string.Join("; ", differences)}.");
    }

    private static void AddIfDifferent<T>(List<string> differences, string name, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            differences.Add($"{name} expected {expected} but was {actual}");
        }
    }
}
