using RLDistributed.Core.Randomness;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Randomness;

/// <summary>Noise keyed by global example index: any slice, drawn by any rank, equals those rows of the whole batch.</summary>
public sealed class KeyedNoiseTests
{
    // 3×8×8 = 192 numbers an example: 85 examples a block, so a global batch of 1000 spans twelve blocks, the last of 65.
    private static readonly long[] Example = [3, 8, 8];
    private static readonly RandomKey Key = RandomKey.For(42, RandomPurpose.LangevinNoise).With(7);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(80, 10)]     // crosses the first block boundary (85)
    [InlineData(84, 343)]    // touches six blocks, partly the first and the last
    [InlineData(935, 65)]    // the partial last block alone
    [InlineData(999, 1)]
    public void ASlice_IsThoseRowsOfTheWholeBatch(int start, int count)
    {
        using var scope = NewDisposeScope();
        var whole = KeyedNoise.Normal(Key, 1000, Example, 0, 1000, CPU);
        var slice = KeyedNoise.Normal(Key, 1000, Example, start, count, CPU);

        Assert.Equal(new long[] { count, 3, 8, 8 }, slice.shape);
        Assert.True(Same(slice, whole.narrow(0, start, count)), $"rows [{start}, {start + count}) differ from the whole draw");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void RanksOfAnyWorldSize_TogetherDrawTheSingleProcessNumbers(int worldSize)
    {
        using var scope = NewDisposeScope();
        const int global = 1000;
        var whole = KeyedNoise.Normal(Key, global, Example, 0, global, CPU);
        var parts = Enumerable.Range(0, worldSize).Select(rank =>
        {
            var start = (int)((long)rank * global / worldSize);
            var end = (int)((long)(rank + 1) * global / worldSize);
            return KeyedNoise.Normal(Key, global, Example, start, end - start, CPU);
        }).ToArray();

        Assert.True(Same(cat(parts, 0), whole));
    }

    [Fact]
    public void TheNumbersAreStandardNormal_AndTheBlocksAreNotCopiesOfEachOther()
    {
        using var scope = NewDisposeScope();
        var whole = KeyedNoise.Normal(Key, 1000, Example, 0, 1000, CPU).to(float64);

        // 192,000 draws: the standard error of the mean is 0.0023, of the standard deviation 0.0016.
        Assert.InRange(whole.mean().item<double>(), -0.01, 0.01);
        Assert.InRange(whole.std().item<double>(), 0.99, 1.01);
        var first = whole.narrow(0, 0, 85).flatten();
        var second = whole.narrow(0, 85, 85).flatten();
        var correlation = corrcoef(stack([first, second]))[0, 1].item<double>();
        // 16,320 pairs: a standard error of 0.008.
        Assert.InRange(correlation, -0.04, 0.04);
    }

    [Fact]
    public void AnotherKey_GivesOtherNumbers_AndTheSameKeyTheSame()
    {
        using var scope = NewDisposeScope();
        var a = KeyedNoise.Normal(Key, 1000, Example, 100, 400, CPU);
        var again = KeyedNoise.Normal(Key, 1000, Example, 100, 400, CPU);
        var other = KeyedNoise.Normal(Key.With(1), 1000, Example, 100, 400, CPU);

        Assert.True(Same(a, again));
        Assert.False(Same(a, other));
    }

    [Theory]
    [InlineData(new long[] { 2 }, 8192)]              // toy2d: a global batch of 1024 is one block
    [InlineData(new long[] { 1, 32, 32 }, 16)]        // MNIST-like, padded to 32
    [InlineData(new long[] { 3, 32, 32 }, 5)]         // CIFAR-10
    [InlineData(new long[] { 3, 256, 256 }, 1)]       // an example larger than a block is a block of its own
    public void ExamplesPerBlock_FollowsTheExampleSize(long[] shape, int expected) =>
        Assert.Equal(expected, KeyedNoise.ExamplesPerBlock(shape));

    [Fact]
    public void AnEmptySlice_IsEmpty_AndASliceOutsideTheBatchIsRefused()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 0, 3, 8, 8 }, KeyedNoise.Normal(Key, 10, Example, 10, 0, CPU).shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyedNoise.Normal(Key, 10, Example, 5, 6, CPU));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyedNoise.Normal(Key, 10, Example, -1, 2, CPU));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void ABatchWithinOneBlock_DrawsWhatOneGeneratorSeededByTheKeyDraws()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Key.TorchSeed);
        var expected = randn([1024, 2], generator: generator);

        Assert.True(Same(expected.narrow(0, 512, 512), KeyedNoise.Normal(Key, 1024, [2], 512, 512, CPU)));
    }
}
