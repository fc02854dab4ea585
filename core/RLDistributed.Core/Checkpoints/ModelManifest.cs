using RLDistributed.Core.Models;
using RLDistributed.Core.Training;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// model.json: everything needed to rebuild and sample the model sequence with nothing else (the
/// shared network's architecture, the options, and the schedule constants for people and tools).
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The current format; readers refuse newer ones.</summary>
    public const int CurrentFormat = 2;

    /// <summary>Format version.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The preset the run started from (informational).</summary>
    public required string Preset { get; init; }

    /// <summary>The data set trained on.</summary>
    public required string Dataset { get; init; }

    /// <summary>Shape of one example.</summary>
    public required int[] ExampleShape { get; init; }

    /// <summary>The energy network.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>The training options (levels, b², seed, …).</summary>
    public required TrainingOptions Training { get; init; }

    /// <summary>Completed training steps.</summary>
    public long Step { get; init; }

    /// <summary>The schedule's constants, for inspection (recomputed from Training on load).</summary>
    public required ScheduleSnapshot Schedule { get; init; }
}
