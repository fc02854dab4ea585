using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>Small RGB pictures with structure a ImageNet network responds to: a coloured disc on a coloured background.</summary>
internal static class SyntheticImages
{
    /// <summary>[count, 3, size, size] in [−1, 1], deterministic in <paramref name="seed"/>.</summary>
    public static Tensor Discs(int count, int size, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var background = rand(count, 3, 1, 1, generator: generator) * 2 - 1;
        var foreground = rand(count, 3, 1, 1, generator: generator) * 2 - 1;
        var centre = rand(count, 2, 1, 1, generator: generator) * 0.5 + 0.25;
        var radius = rand(count, 1, 1, 1, generator: generator) * 0.2 + 0.1;
        var axis = (arange(size, dtype: ScalarType.Float32) + 0.5) / size;
        var dx = axis.reshape(1, 1, 1, size) - centre.narrow(1, 0, 1);
        var dy = axis.reshape(1, 1, size, 1) - centre.narrow(1, 1, 1);
        var inside = (dx.square() + dy.square()).le(radius.square()).to(ScalarType.Float32);
        var images = background * (1 - inside) + foreground * inside;
        return images.MoveToOuterDisposeScope();
    }
}
