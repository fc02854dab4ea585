using static TorchSharp.torch;

namespace RLDistributed.Core.Randomness;

/// <summary>
/// Standard normal noise for a slice of the global batch. The whole global batch is drawn from one CPU
/// generator seeded by the key and the slice is kept: every rank gets exactly the numbers that a single
/// process would give those examples. The extra draws cost little next to the network.
/// </summary>
public static class KeyedNoise
{
    /// <summary>Draws N(0, 1) of shape [globalBatch, …exampleShape] and returns rows [start, start+count) on the device.</summary>
    public static Tensor Normal(RandomKey key, int globalBatch, long[] exampleShape, int start, int count, Device device)
    {
        if (start < 0 || count < 0 || start + count > globalBatch)
            throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start}, {start + count}) is outside the global batch of {globalBatch}");
        using var generator = new Generator((ulong)key.TorchSeed);
        var shape = new long[exampleShape.Length + 1];
        shape[0] = globalBatch;
        exampleShape.CopyTo(shape, 1);
        using var scope = NewDisposeScope();
        var all = randn(shape, generator: generator);
        var slice = all.narrow(0, start, count);
        var result = device.type == TorchSharp.DeviceType.CPU ? slice.clone() : slice.to(device);
        return result.MoveToOuterDisposeScope();
    }
}
