using static TorchSharp.torch;

namespace RLDistributed.Core.Sampling;

/// <summary>The samples x_0 and, when kept, the whole trajectory x_t for t = 0..T (noise at index T).</summary>
public sealed record SamplingResult(Tensor Samples, Tensor[]? Levels) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Samples.Dispose();
        foreach (var level in Levels ?? []) level.Dispose();
    }
}
