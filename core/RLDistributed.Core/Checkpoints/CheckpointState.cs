namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// state.json: where training stands. The data cursor and the random streams are pure functions of
/// (seed, step, global example index), so recording them is recording the seed, the step and the global batch.
/// </summary>
public sealed record CheckpointState
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The step training continues with.</summary>
    public required long NextStep { get; init; }

    /// <summary>Adam's iteration count (the bias correction depends on it).</summary>
    public required long AdamIterations { get; init; }

    /// <summary>Workers in the run when it was saved.</summary>
    public required int WorldSize { get; init; }

    /// <summary>The run seed every random draw is keyed by.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The global batch (independent of the world size).</summary>
    public required int GlobalBatch { get; init; }

    /// <summary>Examples drawn so far: NextStep × GlobalBatch (the epoch permutation is keyed by the seed and the epoch).</summary>
    public required long ExamplesSeen { get; init; }

    /// <summary>How random draws are keyed: documentation for people reading the file.</summary>
    public string RandomKeys { get; init; } = "RandomKey(seed, step, purpose) seeds one CPU generator per draw; the whole global batch is drawn and each rank keeps its slice";

    /// <summary>The run's options (RunSpec JSON), so that a resumed run needs nothing else.</summary>
    public required string RunSpecJson { get; init; }
}
