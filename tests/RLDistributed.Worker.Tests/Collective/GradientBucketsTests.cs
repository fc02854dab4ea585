using RLDistributed.Worker.Collective;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Tests.Collective;

public sealed class GradientBucketsTests
{
    /// <summary>4 KiB: the smallest bucket, 1024 floats, so the test module's layers spread over several buckets.</summary>
    private const long BucketBytes = RingAllReduceConstants.MinBucketBytes;

    [Fact]
    public void Layout_SmallBuckets_ReverseOrderWithinLimitOrAlone()
    {
        using var model = Model();
        using var buckets = new GradientBuckets(model.parameters(), BucketBytes);

        var order = Enumerable.Range(0, buckets.Count).SelectMany(buckets.ParametersOf).ToArray();

        Assert.Equal([5, 4, 3, 2, 1, 0], order);
        for (var b = 0; b < buckets.Count; b++)
        {
            Assert.True(buckets.FloatsIn(b) * sizeof(float) <= BucketBytes || buckets.ParametersOf(b).Count == 1);
        }

        Assert.True(buckets.Count >= 3);
    }

    [Fact]
    public void PackUnpack_DoubledBuffers_WritesExactValuesBackIntoGrad()
    {
        // Arrange
        using var model = Model();
        Backward(model, seed: 1);
        var parameters = model.parameters().ToArray();
        var before = parameters.Select(p => p.grad!.data<float>().ToArray()).ToArray();
        using var buckets = new GradientBuckets(parameters, BucketBytes);

        // Act
        for (var b = 0; b < buckets.Count; b++)
        {
            var packed = buckets.Pack(b).Span;
            var offset = 0;
            foreach (var p in buckets.ParametersOf(b))
            {
                Assert.Equal(before[p], packed.Slice(offset, before[p].Length).ToArray());
                offset += before[p].Length;
            }

            foreach (ref var value in packed)
            {
                value *= 2;
            }

            buckets.Unpack(b);
        }

        // Assert
        for (var p = 0; p < parameters.Length; p++)
        {
            Assert.Equal(before[p].Select(v => v * 2), parameters[p].grad!.data<float>().ToArray());
        }
    }

    [Fact]
    public async Task AllReduceAsync_TwoRanksOverTcp_GradEqualsSumOfBothRanks()
    {
        // Arrange: identical models, different batches.
        var options = new RingAllReduceOptions { ChunkFloats = RingAllReduceConstants.MinChunkFloats };
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, 2, options);
        using var model0 = Model();
        using var model1 = Model();
        Backward(model0, seed: 1);
        Backward(model1, seed: 2);
        var grads0 = model0.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();
        var grads1 = model1.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();
        using var buckets0 = new GradientBuckets(model0.parameters(), BucketBytes);
        using var buckets1 = new GradientBuckets(model1.parameters(), BucketBytes);

        // Act
        await Task.WhenAll(
            Task.Run(() => buckets0.AllReduceAsync(new RingAllReduce(ring.Transports[0], Ring.Identity(0, 2), options), CancellationToken.None)),
            Task.Run(() => buckets1.AllReduceAsync(new RingAllReduce(ring.Transports[1], Ring.Identity(1, 2), options), CancellationToken.None)));

        // Assert
        var parameters0 = model0.parameters().ToArray();
        var parameters1 = model1.parameters().ToArray();
        for (var p = 0; p < parameters0.Length; p++)
        {
            var expected = grads0[p].Zip(grads1[p], (a, b) => a + b).ToArray();
            Assert.Equal(expected, parameters0[p].grad!.data<float>().ToArray());
            Assert.Equal(expected, parameters1[p].grad!.data<float>().ToArray());
        }
    }

    /// <summary>Parameters (module order): w0 200, b0 20, w1 800, b1 40, w2 1200 (larger than a bucket), b2 30.</summary>
    private static nn.Module<Tensor, Tensor> Model()
    {
        manual_seed(42);
        return nn.Sequential(nn.Linear(10, 20), nn.Tanh(), nn.Linear(20, 40), nn.Tanh(), nn.Linear(40, 30));
    }

    private static void Backward(nn.Module<Tensor, Tensor> model, int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var input = randn([8, 10], generator: generator);
        model.forward(input).square().sum().backward();
    }
}
