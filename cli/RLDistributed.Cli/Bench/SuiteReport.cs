namespace RLDistributed.Cli.Bench;

/// <summary>Everything one `rld bench suite` run measured, with where and on what it ran.</summary>
public sealed record SuiteReport
{
    public required string Commit { get; init; }
    public required string Machine { get; init; }
    public required int Cores { get; init; }
    public required DateTime Utc { get; init; }
    public required bool Quick { get; init; }
    public List<StepTiming> Steps { get; init; } = [];
    public List<PeerComparisonResult> PyTorch { get; init; } = [];
    public string? PyTorchSkipped { get; set; }
    public double RawTcpMBps { get; set; }
    public List<AllReduceResult> AllReduce { get; init; } = [];
    public List<ScalingPoint> Scaling { get; init; } = [];
    public DistributedOverheadResult? Overhead { get; set; }
    public List<OverlapRunResult> Overlap { get; init; } = [];
    public List<LangevinThroughputResult> Langevin { get; init; } = [];
    public List<CheckpointStallResult> Checkpoint { get; init; } = [];
    public MemoryGrowthResult? Memory { get; set; }
    public List<RecoveryResult> Recovery { get; init; } = [];
}

/// <summary>One preset's training iteration at one thread count (from `rld bench step`).</summary>
public sealed record StepTiming(string Preset, int Batch, int Threads, double MedianMs, double MinMs, double MaxMs);
