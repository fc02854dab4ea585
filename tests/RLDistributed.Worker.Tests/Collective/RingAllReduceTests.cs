using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

public sealed class RingAllReduceTests
{
    /// <summary>The smallest valid chunk, so a few hundred thousand floats already span several chunks per segment.</summary>
    private static readonly RingAllReduceOptions SmallChunks = new() { ChunkFloats = RingAllReduceConstants.MinChunkFloats };

    public static TheoryData<RingTransportKind, int> Rings()
    {
        var data = new TheoryData<RingTransportKind, int>();
        foreach (var kind in new[] { RingTransportKind.Tcp, RingTransportKind.Grpc })
        {
            foreach (var n in new[] { 2, 3, 4, 5 })
            {
                data.Add(kind, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rings))]
    public async Task AllReduceAsync_OddTinyEmptyAndMultiChunkSizes_SumsIdenticallyOnEveryRankAndRun(RingTransportKind kind, int n)
    {
        // Arrange
        await using var ring = await Ring.CreateAsync(kind, n, SmallChunks);
        var reducers = Enumerable.Range(0, n).Select(r => new RingAllReduce(ring.Transports[r], Ring.Identity(r, n), SmallChunks)).ToArray();
        var multiChunk = (n * RingAllReduceConstants.MinChunkFloats * 5 / 2) + 777;

        foreach (var size in new[] { 1001, 2, 0, multiChunk })
        {
            var inputs = Enumerable.Range(0, n).Select(r => Inputs(r, size)).ToArray();

            // Act: the same inputs twice through the same ring.
            var first = await ReduceAsync(reducers, inputs);
            var second = await ReduceAsync(reducers, inputs);

            // Assert
            for (var i = 0; i < size; i++)
            {
                double expected = 0, magnitude = 0;
                for (var r = 0; r < n; r++)
                {
                    expected += inputs[r][i];
                    magnitude += Math.Abs(inputs[r][i]);
                }

                Assert.True(Math.Abs(first[0][i] - expected) <= (1e-6 * magnitude) + 1e-30,
                    $"size {size} element {i}: {first[0][i]} vs {expected}");
            }

            for (var r = 0; r < n; r++)
            {
                Assert.Equal(Bits(first[0]), Bits(first[r]));
                Assert.Equal(Bits(first[0]), Bits(second[r]));
            }
        }
    }

    [Fact]
    public async Task AllReduceAsync_WorldSizeOne_LeavesBufferUnchanged()
    {
        var reducer = new RingAllReduce(null, Ring.Identity(0, 1), new RingAllReduceOptions());
        var buffer = Inputs(0, 10);
        var before = Bits(buffer);

        await reducer.AllReduceAsync(buffer, CancellationToken.None);

        Assert.Equal(before, Bits(buffer));
        Assert.Equal(1, reducer.NextSequence);
    }

    [Fact]
    public async Task AllReduceAsync_TcpAndGrpc_GiveBitwiseIdenticalSums()
    {
        const int n = 3;
        var inputs = Enumerable.Range(0, n).Select(r => Inputs(r, 50_001)).ToArray();
        var results = new List<float[][]>();
        foreach (var kind in new[] { RingTransportKind.Tcp, RingTransportKind.Grpc })
        {
            await using var ring = await Ring.CreateAsync(kind, n, SmallChunks);
            var reducers = Enumerable.Range(0, n).Select(r => new RingAllReduce(ring.Transports[r], Ring.Identity(r, n), SmallChunks)).ToArray();
            results.Add(await ReduceAsync(reducers, inputs));
        }

        Assert.Equal(Bits(results[0][0]), Bits(results[1][0]));
    }

    [Fact]
    public async Task AllReduceAsync_ChunkOfTheFirstStepIn_ForwardsItBeforeTheRestOfTheStepArrives()
    {
        // Arrange: 2 ranks, 4 chunks per segment; rank 1 holds back every reduce-scatter chunk after its first by 300 ms.
        const int n = 2;
        var chunk = RingAllReduceConstants.MinChunkFloats;
        var hold = TimeSpan.FromMilliseconds(300);
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, n, SmallChunks);
        var segmentStart = n * chunk * 4 / 2; // segment 1: rank 1's reduce-scatter send, rank 0's first all-gather send
        var timed = new[]
        {
            new TimedTransport(ring.Transports[0], _ => TimeSpan.Zero),
            new TimedTransport(ring.Transports[1], header => header.RingStep == 0 && header.Offset > segmentStart ? hold : TimeSpan.Zero),
        };
        var reducers = Enumerable.Range(0, n).Select(r => new RingAllReduce(timed[r], Ring.Identity(r, n), SmallChunks)).ToArray();
        var inputs = Enumerable.Range(0, n).Select(r => Inputs(r, n * chunk * 4)).ToArray();

        // Act
        var sums = await ReduceAsync(reducers, inputs);

        // Assert: rank 0 sent its all-gather's first chunk (step 1) while the last chunks of step 0 were still held back.
        var events = timed[0].Events.ToArray();
        var firstForward = events.First(e => e.Event == "send" && e.RingStep == 1);
        var lastOfStep0 = events.Last(e => e.Event == "received" && e.RingStep == 0);
        Assert.Equal(segmentStart, firstForward.Offset); // rank 0's all-gather starts with segment 1, reduced in step 0
        Assert.True(firstForward.At + hold <= lastOfStep0.At,
            $"first chunk of step 1 sent at {firstForward.At.TotalMilliseconds:F0} ms, last chunk of step 0 in at {lastOfStep0.At.TotalMilliseconds:F0} ms");
        Assert.Equal(Bits(sums[0]), Bits(sums[1]));
        for (var i = 0; i < inputs[0].Length; i++) Assert.Equal(inputs[0][i] + inputs[1][i], sums[0][i]);
    }

    [Fact]
    public void SegmentBounds_SizeSmallerThanWorld_CoversBufferWithSomeEmptySegments()
    {
        var bounds = Enumerable.Range(0, 4).Select(k => RingAllReduce.SegmentBounds(2, 4, k)).ToArray();

        Assert.Equal(2, bounds.Sum(b => b.Length));
        Assert.Contains(bounds, b => b.Length == 0);
        for (var k = 1; k < 4; k++)
        {
            Assert.Equal(bounds[k - 1].Start + bounds[k - 1].Length, bounds[k].Start);
        }
    }

    [Fact]
    public void Validate_ChunkTooSmall_NamesTheOption()
    {
        var options = new RingAllReduceOptions { ChunkFloats = 100 };

        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(options.Validate);

        Assert.Contains(nameof(RingAllReduceOptions.ChunkFloats), error.Message, StringComparison.Ordinal);
    }

    private static async Task<float[][]> ReduceAsync(RingAllReduce[] reducers, float[][] inputs)
    {
        var buffers = inputs.Select(b => (float[])b.Clone()).ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(reducers.Select((reducer, r) => Task.Run(() => reducer.AllReduceAsync(buffers[r], timeout.Token))));
        return buffers;
    }

    /// <summary>Values of very different magnitudes, so a change in summation order would change the bits.</summary>
    private static float[] Inputs(int rank, int size)
    {
        var random = new Random(1234 + rank);
        return Enumerable.Range(0, size)
            .Select(i => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4))))
            .ToArray();
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
