using RLDistributed.Core.Data;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using RLDistributed.Core.Training;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>
/// One rank of a tiny image run (spectrally normalised ResNet, 8×8 greyscale, two Langevin steps) over a real ring
/// transport: its trainer, its 4 KiB gradient buckets (several of them) and its ring all-reduce.
/// </summary>
internal sealed class TrainingRank : IDisposable
{
    /// <summary>The smallest bucket, so that the tiny network's gradient spreads over several buckets.</summary>
    public const long BucketBytes = RingAllReduceConstants.MinBucketBytes;

    public static readonly RingAllReduceOptions RingOptions = new() { ChunkFloats = RingAllReduceConstants.MinChunkFloats, BucketBytes = BucketBytes };

    private static readonly ModelSpec Model = ModelSpec.ForImage(new ImageEnergyNetworkOptions
    {
        Channels = 16, ChannelMultipliers = [1, 2], ResBlocksPerLevel = 1, ImageChannels = 1, ImageSize = 8,
    });

    private static readonly TrainingOptions Options = new()
    {
        GlobalBatch = 12, Steps = 3, LangevinSteps = 2, LearningRate = 1e-3, WarmupSteps = 1, Seed = 5,
    };

    private readonly EnergyNetwork _ema;

    public TrainingRank(IRingTransport transport, int rank, int worldSize, bool overlap)
    {
        var pixels = new byte[64 * 8 * 8];
        new Random(3).NextBytes(pixels);
        Energy = EnergyModelFactory.Create(Model, Options.Seed, CPU);
        _ema = EnergyModelFactory.Create(Model, Options.Seed, CPU);
        Trainer = new Trainer(Energy, _ema, new ImageDataset("noise", pixels, 1, 8, 8), Options, CPU);
        Buckets = new GradientBuckets(Energy.parameters(), BucketBytes);
        AllReduce = new RingAllReduce(transport, Ring.Identity(rank, worldSize), RingOptions);
        Reducer = new RingGradientReducer(AllReduce, Buckets, worldSize, overlap);
        Distributed = new DistributedTrainer(Trainer, Reducer, rank, worldSize, hashEvery: 0);
    }

    public EnergyNetwork Energy { get; }

    public Trainer Trainer { get; }

    public GradientBuckets Buckets { get; }

    public RingAllReduce AllReduce { get; }

    public RingGradientReducer Reducer { get; }

    public DistributedTrainer Distributed { get; }

    /// <summary>Every parameter's and every gradient's bytes, in module order.</summary>
    public byte[][] Snapshot() =>
        [.. Energy.parameters().Select(p => p.bytes.ToArray()), .. Energy.parameters().Select(p => p.grad is null ? [] : p.grad.bytes.ToArray())];

    public void Dispose()
    {
        Reducer.Dispose();
        Trainer.Dispose();
        Energy.Dispose();
        _ema.Dispose();
    }
}
