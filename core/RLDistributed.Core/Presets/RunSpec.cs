using System.Text.Json;
using RLDistributed.Core.Checkpoints;

namespace RLDistributed.Core.Presets;

/// <summary>
/// Everything a worker needs to run its part of a training run, handed out by the coordinator as JSON so
/// that every rank trains with identical options: the resolved preset (model, options, data set) and the
/// data location on the worker's file system.
/// </summary>
public sealed record RunSpec
{
    /// <summary>The resolved preset, with command-line overrides applied.</summary>
    public required TrainingPreset Preset { get; init; }

    /// <summary>Data directory (null: the preset's default).</summary>
    public string? DataPath { get; init; }

    /// <summary>Torch threads per worker process (null: all cores).</summary>
    public int? ThreadsPerWorker { get; init; }

    /// <summary>Ranks compare a SHA-256 of their parameters every this many steps (and at the last step). Default 200.</summary>
    public int HashEvery { get; init; } = 200;

    /// <summary>A checkpoint is saved every this many steps and after the last (0: only after the last). Default 100.</summary>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>The newest this many checkpoints are kept. Default 3.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>
    /// Bytes per gradient bucket of the ring all-reduce (null: the collective's default, 25 MiB). Part of the run,
    /// not of a worker: every rank must lay its buckets out alike, and with three or more ranks the layout decides
    /// the order of each sum. Small buckets let the first all-reduces start early in the backward.
    /// </summary>
    public long? GradientBucketBytes { get; init; }

    /// <summary>Serialises with the model store's JSON settings.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelStore.Json);

    /// <summary>Parses a spec; a malformed one throws <see cref="JsonException"/>.</summary>
    public static RunSpec FromJson(string json) =>
        JsonSerializer.Deserialize<RunSpec>(json, ModelStore.Json) ?? throw new JsonException("empty run spec");
}
