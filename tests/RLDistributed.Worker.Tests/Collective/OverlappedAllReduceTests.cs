using RLDistributed.Core.Training;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>
/// The all-reduce that runs while the backward computes the rest, where one rank alone shows it: a cancelled step
/// sends nothing, and there is no overlapped reduction when it is off or the ring has one rank. That it gives the
/// same parameters as the all-reduce after the backward, with buckets reduced during it, is tested with worker
/// processes (DistributedTrainingTests): several trainers stepping at once inside one process gave wrong numbers
/// whatever the setting (a known limit: a process holds one trainer).
/// </summary>
public sealed class OverlappedAllReduceTests
{
    [Fact]
    public async Task TrainStepAsync_CancelledBeforeTheBackward_CancellationComesOutAndNoBucketWasSent()
    {
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, 2, TrainingRank.RingOptions);
        using var rank = new TrainingRank(ring.Transports[0], 0, 2, overlap: true);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rank.Distributed.TrainStepAsync(0, cancelled.Token));

        Assert.Equal(0, rank.AllReduce.NextSequence);
    }

    [Fact]
    public async Task BeginOverlapped_OffOrAloneInTheRing_NoOverlappedReduction()
    {
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, 2, TrainingRank.RingOptions);
        using var off = new TrainingRank(ring.Transports[0], 0, 2, overlap: false);
        using var alone = new TrainingRank(null!, 0, 1, overlap: true);

        Assert.Null(off.Reducer.BeginOverlapped(CancellationToken.None));
        Assert.Null(alone.Reducer.BeginOverlapped(CancellationToken.None));
    }
}
