using System.Runtime;
using System.Runtime.CompilerServices;
using RLDistributed.Core.Training;

namespace RLDistributed.Core.Tests.Training;

/// <summary>
/// The no-GC region that training steps share: kept across steps that allocate little, renewed (after the pending
/// finalizers) once an eighth of its budget is spent, never renewed under a step that is still inside. The region is the
/// process's, so these tests run alone (<see cref="ProcessWideGcCollection"/>): another test's allocations would
/// spend the budget they count.
/// </summary>
[Collection(ProcessWideGcCollection.Name)]
public sealed class NativeCallGuardTests
{
    [Fact]
    public void Enter_StepsThatAllocateLittle_ShareOneRegion()
    {
        StartFreshRegion();
        var started = NativeCallGuard.RegionsStarted;

        for (var step = 0; step < 5; step++)
        {
            using var guard = NativeCallGuard.Enter();
            Allocate(1 << 20);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        Assert.Equal(started, NativeCallGuard.RegionsStarted);
    }

    [Fact]
    public void Enter_AnEighthOfTheBudgetAllocatedSinceTheRegionStarted_RenewsTheRegion()
    {
        StartFreshRegion();
        var started = NativeCallGuard.RegionsStarted;
        Allocate(NativeCallGuard.RenewAfterBytes + (1 << 20));

        using var guard = NativeCallGuard.Enter();

        Assert.Equal(started + 1, NativeCallGuard.RegionsStarted);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Enter_AnotherStepIsInside_JoinsTheRegionWithoutRenewingIt()
    {
        StartFreshRegion();
        using var outer = NativeCallGuard.Enter();
        var started = NativeCallGuard.RegionsStarted;
        var collections = GC.CollectionCount(0);
        Allocate(NativeCallGuard.RenewAfterBytes + (1 << 20));

        using (NativeCallGuard.Enter())
        {
            Assert.Equal(started, NativeCallGuard.RegionsStarted);
            Assert.Equal(collections, GC.CollectionCount(0));
        }
    }

    [Fact]
    public void Enter_RenewingTheRegion_RunsThePendingFinalizers()
    {
        // Arrange: an unreachable object whose finalizer frees something, as TorchSharp's do.
        StartFreshRegion();
        var finalized = new StrongBox<bool>();
        AbandonFinalizable(finalized);
        Allocate(NativeCallGuard.RenewAfterBytes + (1 << 20));

        // Act
        using var guard = NativeCallGuard.Enter();

        // Assert
        Assert.True(finalized.Value);
    }

    /// <summary>Spends more than an eighth of any region in force, then steps once: the step renews the region.</summary>
    private static void StartFreshRegion()
    {
        Allocate(NativeCallGuard.RenewAfterBytes + (1 << 20));
        using var guard = NativeCallGuard.Enter();
    }

    private static void Allocate(long bytes)
    {
        for (long done = 0; done < bytes; done += 64 << 10) GC.KeepAlive(new byte[64 << 10]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonFinalizable(StrongBox<bool> finalized) => _ = new Finalizable(finalized);

    private sealed class Finalizable(StrongBox<bool> finalized)
    {
        ~Finalizable() => finalized.Value = true;
    }
}

/// <summary>Tests that measure the process's garbage collector run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideGcCollection
{
    public const string Name = "process-wide garbage collector";
}
