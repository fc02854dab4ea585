using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// F_θ(y, t): one network shared by every level, conditioned on the integer level t of each example.
/// Input y is [B, …] in the chain's y-space (a′·x); t is an int64 tensor [B]; the output is the raw
/// scalar F per example, shape [B] (the log-density is F/s_t², drl-spec.md §1).
/// </summary>
public abstract class EnergyNetwork(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    /// <summary>Shape of one example, without the batch dimension ([2] or [C, H, W]).</summary>
    public abstract long[] ExampleShape { get; }

    /// <summary>How the layers read their parameters; lets a backward pass be observed parameter by parameter.</summary>
    public ParameterTaps Taps { get; } = new();

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
