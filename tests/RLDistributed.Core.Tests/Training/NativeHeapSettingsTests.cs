using System.Runtime.InteropServices;
using RLDistributed.Core.Training;

namespace RLDistributed.Core.Tests.Training;

/// <summary>
/// The malloc thresholds a training process sets at start-up, checked by what they are for: blocks of a step's size,
/// freed and taken again, must not fault their pages in again. Counted with the thread's own minor-fault counter on
/// one dedicated thread (/proc/thread-self/stat). The settings are the process's, so the class runs alone (<see cref="ProcessWideGcCollection"/>).
/// </summary>
[Collection(ProcessWideGcCollection.Name)]
public sealed class NativeHeapSettingsTests
{
    // 4 × 2 MiB a cycle. A test thread's allocations come from whichever malloc arena glibc hands it, often one that
    // earlier tests' threads still hold memory in; a cycle that does not fit that arena's 64 MiB heap spills into a new
    // heap, and glibc unmaps an emptied extra heap whatever the trim threshold (once in about five runs of the suite at
    // 4 × 8 MiB). Blocks of 2 MiB are still far above the small mmap threshold of the untuned case.
    private const int BlockBytes = 2 << 20;
    private const int BlocksPerCycle = 4;
    private const int PageBytes = 4096;
    private const int PagesPerCycle = BlocksPerCycle * BlockBytes / PageBytes;

    [Fact]
    public void Set_TheTrainingThresholds_KeepFreedBlocksFaultedIn_WhereSmallFixedThresholdsFaultEveryCycle()
    {
        try
        {
            // glibc's initial values, fixed: a block above 128 KiB that no free chunk of the thread's arena can hold is
            // mmapped and unmapped again. An arena that earlier tests left with a large free chunk in the middle of its
            // heap serves the blocks from there instead (no faults: seen in CI), so the measurement moves to a thread on
            // another arena until one shows the mmapped case (a thread that stays alive keeps its arena to itself).
            Assert.True(NativeHeapSettings.Set(128 * 1024, 128 * 1024));
            var untuned = FaultsOfLaterCycles(until: faults => faults > 3 * PagesPerCycle / 2, attempts: 4);

            Assert.True(NativeHeapSettings.Set(NativeHeapSettings.MmapThresholdBytes, NativeHeapSettings.TrimThresholdBytes));
            var tuned = FaultsOfLaterCycles(until: _ => true, attempts: 1);

            Assert.True(untuned > 3 * PagesPerCycle / 2, $"{untuned} faults in 3 cycles of {PagesPerCycle} pages with small thresholds");
            Assert.True(tuned < PagesPerCycle / 10, $"{tuned} faults in 3 cycles of {PagesPerCycle} pages with the training thresholds");
        }
        finally
        {
            NativeHeapSettings.Set(NativeHeapSettings.MmapThresholdBytes, NativeHeapSettings.TrimThresholdBytes);
        }
    }

    [Fact]
    public void Apply_OnLinux_SetsTheThresholdsUnlessAMallocVariableIsSet()
    {
        var overridden = NativeHeapSettings.EnvironmentOverrides.Any(name => Environment.GetEnvironmentVariable(name) is { Length: > 0 });

        Assert.Equal(overridden ? NativeHeapTuning.LeftToEnvironment : NativeHeapTuning.Applied, NativeHeapSettings.Apply());
    }

    /// <summary>
    /// Minor faults of cycles 2–4 (the first cycle may fault the heap in) of allocate, touch every page, free, on a
    /// new thread; again on further threads, each kept alive until the end, while <paramref name="until"/> rejects
    /// the count, up to <paramref name="attempts"/> times. Returns the largest count.
    /// </summary>
    private static long FaultsOfLaterCycles(Func<long, bool> until, int attempts)
    {
        using var release = new ManualResetEventSlim();
        var threads = new List<Thread>();
        long largest = 0;
        try
        {
            for (var attempt = 0; attempt < attempts && (attempt == 0 || !until(largest)); attempt++)
            {
                long faults = 0;
                var measured = new ManualResetEventSlim();
                var thread = new Thread(() =>
                {
                    Cycle();
                    var before = ThreadMinorFaults();
                    for (var i = 0; i < 3; i++) Cycle();
                    faults = ThreadMinorFaults() - before;
                    measured.Set();
                    release.Wait();
                });
                threads.Add(thread);
                thread.Start();
                measured.Wait();
                largest = Math.Max(largest, Volatile.Read(ref faults));
            }
        }
        finally
        {
            release.Set();
            foreach (var thread in threads) thread.Join();
        }
        return largest;
    }

    private static void Cycle()
    {
        // AllocHGlobal is malloc on Linux, the allocator libtorch uses.
        var blocks = new nint[BlocksPerCycle];
        for (var b = 0; b < BlocksPerCycle; b++)
        {
            blocks[b] = Marshal.AllocHGlobal(BlockBytes);
            for (var offset = 0; offset < BlockBytes; offset += PageBytes) Marshal.WriteByte(blocks[b], offset, 1);
        }
        for (var b = BlocksPerCycle - 1; b >= 0; b--) Marshal.FreeHGlobal(blocks[b]);
    }

    private static long ThreadMinorFaults()
    {
        // This thread's own counter (field 10, minflt, of /proc/thread-self/stat), whatever other threads do meanwhile.
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
