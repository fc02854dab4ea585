using System.Runtime.InteropServices;

namespace RLDistributed.Core.Training;

/// <summary>
/// glibc malloc settings for a process that trains: libtorch takes every tensor's storage from malloc, and with
/// glibc's defaults the freed top of the heap goes back to the kernel (brk) or the block was mmapped in the first
/// place, so the next step faults the same pages in again. A toy2d iteration made about 1,600 brk calls per 40
/// steps and 550 more page faults per step than with these settings; on a virtual machine a fault is expensive
/// (bench/RESULTS.md). The process keeps its high-water heap instead, which is what a training loop of equal steps
/// needs anyway.
/// </summary>
public static partial class NativeHeapSettings
{
    /// <summary>Free memory at the top of the heap is kept up to this size (M_TRIM_THRESHOLD).</summary>
    public const int TrimThresholdBytes = 1 << 30;

    /// <summary>Blocks below this size come from the heap, not mmap (M_MMAP_THRESHOLD; glibc's largest allowed value).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>The glibc variables that, when set, leave the choice to whoever set them.</summary>
    public static readonly string[] EnvironmentOverrides = ["MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_"];

    // mallopt parameter numbers from glibc's malloc.h.
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    /// <summary>
    /// Applies the settings once at start-up. Returns what happened: applied, left to the environment, or not
    /// available (not Linux, or a C library without mallopt, such as musl).
    /// </summary>
    public static NativeHeapTuning Apply()
    {
        if (!OperatingSystem.IsLinux()) return NativeHeapTuning.Unavailable;
        if (EnvironmentOverrides.Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))) return NativeHeapTuning.LeftToEnvironment;
        return Set(MmapThresholdBytes, TrimThresholdBytes) ? NativeHeapTuning.Applied : NativeHeapTuning.Unavailable;
    }

    /// <summary>
    /// Sets both thresholds (fixed values: glibc stops adjusting them itself). False where mallopt is missing or
    /// refused a value (it leaves that setting as it was).
    /// </summary>
    public static bool Set(int mmapThresholdBytes, int trimThresholdBytes)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // mallopt returns 1 on success.
            return Mallopt(MmapThreshold, mmapThresholdBytes) == 1 & Mallopt(TrimThreshold, trimThresholdBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
