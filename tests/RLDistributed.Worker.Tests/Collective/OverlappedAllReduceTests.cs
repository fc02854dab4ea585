using RLDistributed.Core.Training;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>
/// The all-reduce that runs while the backward computes the rest: the same numbers as after the backward, buckets
/// reduced before the backward has returned, and a failed bucket surfacing as the collective failure it was.
/// </summary>
public sealed class OverlappedAllReduceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TrainStepAsync_ThreeRanksOverTcp_OverlapGivesBitwiseTheSameGradientsAndParameters()
    {
        // Arrange: three ranks (with three, the bucket layout decides each sum's order) and three steps each way.
        var after = await TrainAsync(worldSize: 3, overlap: false, steps: 3);

        // Act
        var during = await TrainAsync(worldSize: 3, overlap: true, steps: 3);

        // Assert
        for (var rank = 0; rank < 3; rank++)
        {
            Assert.Equal(after.Snapshots[rank].Length, during.Snapshots[rank].Length);
            for (var i = 0; i < after.Snapshots[rank].Length; i++)
                Assert.True(after.Snapshots[rank][i].AsSpan().SequenceEqual(during.Snapshots[rank][i]), $"rank {rank}, tensor {i} differs");
        }
        Assert.All(after.Steps, s => Assert.Null(s.Overlap));
        Assert.All(during.Steps, s => Assert.True(s.Overlap!.Buckets > 1 && s.Overlap.BucketsReadyDuringBackward >= 1, $"{s.Overlap}"));
    }

    [Fact]
    public async Task OnGradient_TheLastGradientWaitsForBucketZero_BucketZeroIsSummedWhileTheBackwardRuns()
    {
        // Arrange: the backward of each rank stops at its last gradient until bucket 0 is summed over the ring. Were
        // bucket 0 sent only after the backward, this would never finish.
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, 2, TrainingRank.RingOptions);
        var ranks = Enumerable.Range(0, 2).Select(r => new TrainingRank(ring.Transports[r], r, 2, overlap: true)).ToArray();
        try
        {
            var lastParameter = ranks[0].Buckets.ParametersOf(ranks[0].Buckets.Count - 1)[^1];

            // Act
            var results = await Task.WhenAll(ranks.Select((rank, r) => Task.Run(async () =>
            {
                var reduction = OverlappedAllReduce.Start(rank.Buckets, rank.AllReduce, 0, CancellationToken.None);
                var gate = new WaitingObserver(reduction, lastParameter, () => reduction.Reduced(0));
                rank.Trainer.ComputeGradients(step: 0, r, 2, gate);
                var overlap = await reduction.CompleteAsync();
                return (gate.BucketZeroSummedFirst, overlap);
            })));

            // Assert
            Assert.True(lastParameter != ranks[0].Buckets.ParametersOf(0)[0]);
            Assert.All(results, r => Assert.True(r.BucketZeroSummedFirst));
            Assert.All(results, r => Assert.True(r.overlap.HiddenSeconds > 0 && r.overlap.WindowSeconds > 0, $"{r.overlap}"));
        }
        finally
        {
            foreach (var rank in ranks) rank.Dispose();
        }
    }

    [Fact]
    public async Task TrainStepAsync_BucketOneBreaksTheProtocol_SameCollectiveFailureAsWithoutOverlap()
    {
        var after = await FailingStepAsync(overlap: false);
        var during = await FailingStepAsync(overlap: true);

        Assert.IsType<CollectiveProtocolException>(after);
        Assert.IsType<CollectiveProtocolException>(during);
        Assert.Equal(after.Message, during.Message);
    }

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

    private static async Task<(byte[][][] Snapshots, List<DistributedStep> Steps)> TrainAsync(int worldSize, bool overlap, int steps)
    {
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, worldSize, TrainingRank.RingOptions);
        var ranks = Enumerable.Range(0, worldSize).Select(r => new TrainingRank(ring.Transports[r], r, worldSize, overlap)).ToArray();
        try
        {
            var done = new List<DistributedStep>();
            for (var step = 0; step < steps; step++)
            {
                using var timeout = new CancellationTokenSource(Patience);
                var results = await Task.WhenAll(ranks.Select(rank => Task.Run(() => rank.Distributed.TrainStepAsync(step, timeout.Token))));
                done.AddRange(results);
            }
            return (ranks.Select(r => r.Snapshot()).ToArray(), done);
        }
        finally
        {
            foreach (var rank in ranks) rank.Dispose();
        }
    }

    /// <summary>A step in which every rank's transport rejects the first chunk of bucket 1; returns the first rank's failure.</summary>
    private static async Task<Exception> FailingStepAsync(bool overlap)
    {
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, 2, TrainingRank.RingOptions);
        var ranks = Enumerable.Range(0, 2).Select(r => new TrainingRank(new RejectingTransport(ring.Transports[r], sequence: 1), r, 2, overlap)).ToArray();
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            var steps = ranks.Select(rank => Task.Run(() => rank.Distributed.TrainStepAsync(0, timeout.Token))).ToArray();
            var failure = await Record.ExceptionAsync(() => steps[0]);
            await Record.ExceptionAsync(() => steps[1]);
            Assert.False(timeout.IsCancellationRequested, "the failure was not raised: the step ran into the timeout");
            Assert.All(ranks[0].Energy.parameters(), p => Assert.NotNull(p.grad)); // the backward ran to its end
            return failure!;
        }
        finally
        {
            foreach (var rank in ranks) rank.Dispose();
        }
    }

    /// <summary>Holds the backward at one parameter until a task completes, and says whether it had by then.</summary>
    private sealed class WaitingObserver(IGradientObserver inner, int parameter, Func<Task> awaited) : IGradientObserver
    {
        public bool BucketZeroSummedFirst { get; private set; }

        public void OnGradient(int index, Tensor gradient)
        {
            if (index == parameter) BucketZeroSummedFirst = awaited().Wait(Patience);
            inner.OnGradient(index, gradient);
        }
    }

    /// <summary>A real transport whose receives of one collective fail as a neighbour's malformed chunk would.</summary>
    private sealed class RejectingTransport(IRingTransport inner, long sequence) : IRingTransport
    {
        public ValueTask SendAsync(ChunkHeader header, ReadOnlyMemory<float> data, CancellationToken ct) => inner.SendAsync(header, data, ct);

        public ValueTask ReceiveAsync(ChunkHeader expected, Memory<float> destination, CancellationToken ct) =>
            expected.Sequence == sequence
                ? ValueTask.FromException(new CollectiveProtocolException($"chunk of collective {sequence} rejected"))
                : inner.ReceiveAsync(expected, destination, ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
