using RLDistributed.Core.Presets;

namespace RLDistributed.Cli.Training;

/// <summary>What a local cluster runs.</summary>
public sealed record LocalClusterOptions(RunSpec Spec, string RunId, int Workers, string Transport, string OutputDirectory, int? ThreadsPerWorker);
