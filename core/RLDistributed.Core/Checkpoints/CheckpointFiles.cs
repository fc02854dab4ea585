namespace RLDistributed.Core.Checkpoints;

/// <summary>The names inside a checkpoint directory and around it.</summary>
public static class CheckpointFiles
{
    /// <summary>Written last: format, run, step and every other file with its size and SHA-256.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>The model manifest (network, options, schedule), so that the directory is also a model directory.</summary>
    public const string Model = ModelStore.ManifestFile;

    /// <summary>The network's state (parameters and buffers).</summary>
    public const string Energy = ModelStore.EnergyFile;

    /// <summary>The EMA network's state.</summary>
    public const string Ema = ModelStore.EmaFile;

    /// <summary>Adam's moments.</summary>
    public const string Optimizer = "optimizer.bin";

    /// <summary>Step, optimizer iterations, world size, data cursor and random keys.</summary>
    public const string State = "state.json";

    /// <summary>In the checkpoint root: the name of the newest committed checkpoint directory.</summary>
    public const string Latest = "latest";

    /// <summary>Suffix of anything not yet complete.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>Checkpoint directory name of the state before <paramref name="nextStep"/>.</summary>
    public static string DirectoryName(long nextStep) => $"step-{nextStep:D9}";

    /// <summary>The step in a checkpoint directory's name, or null when it is not one.</summary>
    public static long? StepOf(string directoryName) =>
        directoryName.StartsWith("step-", StringComparison.Ordinal) && !directoryName.EndsWith(TemporarySuffix, StringComparison.Ordinal)
            && long.TryParse(directoryName.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var step)
            ? step : null;
}
