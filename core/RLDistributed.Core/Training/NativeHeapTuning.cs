namespace RLDistributed.Core.Training;

/// <summary>The outcome of <see cref="NativeHeapSettings.Apply"/>.</summary>
public enum NativeHeapTuning
{
    /// <summary>The thresholds are set.</summary>
    Applied,

    /// <summary>A MALLOC_* variable is set; glibc read it at start-up and it stays in force.</summary>
    LeftToEnvironment,

    /// <summary>Not glibc on Linux: nothing changed.</summary>
    Unavailable,
}
