using System.Runtime.InteropServices;
using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using RLDistributed.Core.Tests.Training;
using RLDistributed.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>
/// <see cref="ParameterTaps"/>: an observed backward hands every parameter's gradient over once, bit for bit what
/// lands in <c>.grad</c>, last layers first, and changes nothing about the numbers.
/// </summary>
public sealed class ParameterTapsTests
{
    private static ImageEnergyNetworkOptions TinyImage() => new()
    {
        Channels = 16, ChannelMultipliers = [1, 2], ResBlocksPerLevel = 1, ImageChannels = 1, ImageSize = 8,
    };

    [Fact]
    public void Observe_ImageNetworkLossPass_EveryGradientOnceAndBitwiseAsGrad()
    {
        // Arrange: two identical networks (spectral norm advances u on every forward, so one for each pass).
        using var scope = NewDisposeScope();
        using var plain = new ImageEnergyNetwork(TinyImage(), new Generator(5));
        using var observed = new ImageEnergyNetwork(TinyImage(), new Generator(5));
        var observer = new RecordingObserver();

        // Act
        LossPass(plain, null);
        var session = LossPass(observed, observer);

        // Assert
        var parameters = observed.parameters().ToArray();
        Assert.Equal(parameters.Length, session);
        Assert.Equal(Enumerable.Range(0, parameters.Length), observer.Order.Order());
        var reference = plain.parameters().ToArray();
        for (var p = 0; p < parameters.Length; p++)
        {
            Assert.Equal(Bytes(reference[p].grad!), Bytes(parameters[p].grad!));
            Assert.Equal(Bytes(parameters[p].grad!), observer.Gradients[p]);
        }
    }

    [Fact]
    public void Observe_ImageNetworkLossPass_HeadFirstInputLayerAndLevelEmbeddingLast()
    {
        using var scope = NewDisposeScope();
        using var network = new ImageEnergyNetwork(TinyImage(), new Generator(6));
        var observer = new RecordingObserver();
        var names = network.named_parameters().Select(n => n.name).ToArray();

        LossPass(network, observer);

        // The head is used last in forward, so its backward comes first; the level embedding feeds every block and
        // the input convolution sits at the bottom, so theirs come last.
        var order = observer.Order.Select(p => names[p]).ToArray();
        Assert.StartsWith("dense_final", order[0], StringComparison.Ordinal);
        var lastBlock = Array.FindIndex(order, n => n.StartsWith("blocks.1.", StringComparison.Ordinal));
        var firstBlock = Array.FindIndex(order, n => n.StartsWith("blocks.0.", StringComparison.Ordinal));
        Assert.True(lastBlock < firstBlock, string.Join(", ", order));
        Assert.All(order[^6..], n => Assert.True(n.StartsWith("conv_in", StringComparison.Ordinal) || n.StartsWith("temb_dense", StringComparison.Ordinal), string.Join(", ", order)));
    }

    [Fact]
    public void ComputeGradients_MlpWithObserver_SameGradientsAsWithout()
    {
        var without = Gradients(observer: null);
        var observer = new RecordingObserver();
        var with = Gradients(observer);

        Assert.Equal(without.Length, with.Length);
        for (var p = 0; p < with.Length; p++)
        {
            Assert.Equal(without[p], with[p]);
            Assert.Equal(with[p], observer.Gradients[p]);
        }
    }

    [Fact]
    public void Observe_ObserverThrows_BackwardCompletesAndTheExceptionComesAfter()
    {
        using var scope = NewDisposeScope();
        using var network = new ImageEnergyNetwork(TinyImage(), new Generator(7));
        var observer = new RecordingObserver { ThrowAt = 1 };

        var error = Assert.Throws<InvalidOperationException>(() => LossPass(network, observer));

        Assert.Equal("observer failed", error.Message);
        Assert.All(network.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Observe_SecondSessionWhileOneIsOpen_Refused()
    {
        using var network = new ImageEnergyNetwork(TinyImage(), new Generator(8));
        using var first = network.Taps.Observe(network.parameters(), new RecordingObserver());

        Assert.Throws<InvalidOperationException>(() => network.Taps.Observe(network.parameters(), new RecordingObserver()));
    }

    /// <summary>The loss pass of a step (DrlLoss: two forward calls, then backward); returns the number of taps made.</summary>
    private static int LossPass(EnergyNetwork network, IGradientObserver? observer)
    {
        using var scope = NewDisposeScope();
        using var schedule = new ScheduleTensors(DiffusionSchedule.Create(6), CPU);
        using var generator = new Generator(17);
        var positive = randn([4, 1, 8, 8], generator: generator);
        var negative = randn([4, 1, 8, 8], generator: generator);
        var levels = tensor(new long[] { 0, 2, 3, 5 });
        network.zero_grad();
        using var session = observer is null ? null : network.Taps.Observe(network.parameters(), observer);
        var terms = DrlLoss.Compute(network, schedule, positive, negative, levels, globalBatch: 8);
        terms.Loss.backward();
        session?.ThrowIfFaulted();
        return session?.TapCount ?? 0;
    }

    /// <summary>One whole step's gradient (Langevin included) of a tiny MLP trainer, as bytes per parameter.</summary>
    private static byte[][] Gradients(IGradientObserver? observer)
    {
        using var scope = NewDisposeScope();
        var data = ToyDatasets.Create("8gaussians", 512, 3);
        var options = TrainingHarness.TinyOptions(seed: 13);
        using var energy = EnergyModelFactory.Create(TrainingHarness.TinyMlp, options.Seed, CPU);
        using var ema = EnergyModelFactory.Create(TrainingHarness.TinyMlp, options.Seed, CPU);
        using var trainer = new Trainer(energy, ema, data, options, CPU);
        trainer.ComputeGradients(step: 2, rank: 1, worldSize: 2, observer);
        return energy.parameters().Select(p => Bytes(p.grad!)).ToArray();
    }

    private static byte[] Bytes(Tensor tensor) => tensor.contiguous().bytes.ToArray();

    private sealed class RecordingObserver : IGradientObserver
    {
        public List<int> Order { get; } = [];

        public Dictionary<int, byte[]> Gradients { get; } = [];

        public int? ThrowAt { get; init; }

        public void OnGradient(int parameter, Tensor gradient)
        {
            Order.Add(parameter);
            Gradients.Add(parameter, MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, float>(gradient.contiguous().bytes)).ToArray());
            if (Order.Count == ThrowAt) throw new InvalidOperationException("observer failed");
        }
    }
}
