using static TorchSharp.torch;

namespace RLDistributed.Core.Randomness;

/// <summary>
/// Standard normal noise for a slice of the global batch, keyed by the global example index (design.md, step 3): the
/// global batch is cut into fixed blocks of examples, block b is drawn from a CPU generator seeded by (key, b), and a
/// rank draws only the blocks its slice touches. A block holds about <see cref="BlockFloats"/> numbers whatever the
/// world size, so every rank gets exactly the numbers a single process would give those examples, and a rank's cost
/// follows its slice rather than the global batch: drawing the whole batch on every rank cost each of them the noise
/// of all (CIFAR-10's 256 × 3×32×32 examples, 32 draws a step: about 320 ms a step on one core, the same at any N).
/// </summary>
public static class KeyedNoise
{
    /// <summary>Numbers per block (rounded down to whole examples, at least one): 64 KiB: small enough that a rank of a large world draws little beyond its slice, large enough that the per-block cost (a generator, a call) stays small against the drawing.</summary>
    public const int BlockFloats = 1 << 14;

    /// <summary>Examples per block for examples of <paramref name="exampleShape"/>.</summary>
    public static int ExamplesPerBlock(long[] exampleShape)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        var floats = exampleShape.Aggregate(1L, (a, b) => a * b);
        return (int)Math.Max(1, BlockFloats / Math.Max(1, floats));
    }

    /// <summary>
    /// The key of block <paramref name="block"/>: block 0 keeps the draw's own key, so that a global batch within one
    /// block (toy2d's, any MNIST-like batch of up to 16) draws exactly what the earlier whole-batch scheme drew, and
    /// such runs and their checkpoints continue as before.
    /// </summary>
    public static RandomKey BlockKey(RandomKey key, int block) => block == 0 ? key : key.With(block);

    /// <summary>Draws N(0, 1) for rows [start, start+count) of a global batch of shape [globalBatch, …exampleShape], on the device.</summary>
    public static Tensor Normal(RandomKey key, int globalBatch, long[] exampleShape, int start, int count, Device device)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        if (start < 0 || count < 0 || start + count > globalBatch)
            throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start}, {start + count}) is outside the global batch of {globalBatch}");
        var perBlock = ExamplesPerBlock(exampleShape);
        using var scope = NewDisposeScope();
        var result = empty([count, .. exampleShape]);
        for (var row = 0; row < count;)
        {
            var index = start + row;
            var block = index / perBlock;
            var blockStart = block * perBlock;
            var blockRows = Math.Min(perBlock, globalBatch - blockStart);
            var take = Math.Min(blockStart + blockRows, start + count) - index;
            // A block is always drawn whole, in one call: torch's normal sampler fills in groups, so a shorter draw is not
            // a prefix of a longer one. A block inside the slice is drawn in place; one the slice cuts, aside.
            using var generator = new Generator((ulong)BlockKey(key, block).TorchSeed);
            if (take == blockRows)
            {
                result.narrow(0, row, take).normal_(generator: generator);
            }
            else
            {
                using var whole = randn([blockRows, .. exampleShape], generator: generator);
                result.narrow(0, row, take).copy_(whole.narrow(0, index - blockStart, take));
            }
            row += take;
        }
        if (device.type != TorchSharp.DeviceType.CPU) result = result.to(device);
        return result.MoveToOuterDisposeScope();
    }
}
