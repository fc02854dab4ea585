using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// The DRL image energy network (network.py <c>net_res_temb2</c>, drl-spec.md §4): an encoder-only ResNet with
/// spectrally normalised layers, conditioned on the level t through a sinusoidal embedding. No normalisation
/// layers, no attention. forward(y [B, C, H, W], t int64 [B]) → F [B].
/// </summary>
public sealed class ImageEnergyNetwork : EnergyNetwork
{
    private readonly ImageEnergyNetworkOptions _options;

    // After which block indices a 2×2/2 average pool follows (the end of every level but the last).
    private readonly HashSet<int> _poolAfterBlock;

    [ComponentName(Name = "temb_dense0")]
    private SpectralLinear _tembDense0;

    [ComponentName(Name = "temb_dense1")]
    private SpectralLinear _tembDense1;

    [ComponentName(Name = "conv_in")]
    private SpectralConv2d _convIn;

    [ComponentName(Name = "blocks")]
    private ModuleList<ResidualBlock> _blocks;

    [ComponentName(Name = "dense_final")]
    private Linear _head;

    /// <summary>Builds the network and initialises it (Glorot uniform, zero biases, near-zero conv₂ kernels).</summary>
    /// <param name="options">Architecture; validated here.</param>
    /// <param name="generator">Random source for initialisation; null uses the global one.</param>
    /// <param name="name">Module name.</param>
    public ImageEnergyNetwork(ImageEnergyNetworkOptions options, Generator? generator = null, string name = "image_energy")
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var width = options.EmbeddingWidth;
        _tembDense0 = new SpectralLinear("temb_dense0", options.Channels, width, generator: generator, taps: Taps);
        _tembDense1 = new SpectralLinear("temb_dense1", width, width, generator: generator, taps: Taps);
        _convIn = new SpectralConv2d("conv_in", options.ImageChannels, options.Channels, generator: generator, taps: Taps);

        _blocks = new ModuleList<ResidualBlock>();
        _poolAfterBlock = [];
        long channels = options.Channels;
        for (var level = 0; level < options.ChannelMultipliers.Count; level++)
        {
            long outChannels = options.Channels * options.ChannelMultipliers[level];
            for (var block = 0; block < options.ResBlocksPerLevel; block++)
            {
                _blocks.Add(new ResidualBlock($"block{_blocks.Count}", channels, outChannels, width,
                    options.Activation, options.Dropout, generator, Taps));
                channels = outChannels;
            }
            if (level < options.ChannelMultipliers.Count - 1) _poolAfterBlock.Add(_blocks.Count - 1);
        }

        // The final temb projection is the only dense layer without SN (nn.py skips it), so a plain Linear.
        _head = nn.Linear(width, channels);
        VarianceScaling.FanAvgUniform(_head.weight!, 1.0, generator);
        using (no_grad()) _head.bias!.zero_();
        RegisterComponents();
    }

    /// <summary>The architecture this network was built with.</summary>
    public ImageEnergyNetworkOptions Options => _options;

    /// <summary>The residual blocks in forward order, across all levels.</summary>
    public IReadOnlyList<ResidualBlock> Blocks => [.. _blocks];

    /// <inheritdoc />
    public override long[] ExampleShape => [_options.ImageChannels, _options.ImageSize, _options.ImageSize];

    /// <inheritdoc />
    public override Tensor forward(Tensor y, Tensor t)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(t);
        if (y.dim() != 4 || y.shape[1] != _options.ImageChannels)
            throw new ArgumentException($"expected y of shape [B, {_options.ImageChannels}, H, W], got [{string.Join(", ", y.shape)}]", nameof(y));
        if (t.dim() != 1 || t.shape[0] != y.shape[0])
            throw new ArgumentException($"expected t of shape [{y.shape[0]}], got [{string.Join(", ", t.shape)}]", nameof(t));

        var act = _options.Activation;
        // The embedding is computed in float32; cast so a float64 network (gradient checks) stays float64.
        var temb = TimeEmbedding.Sinusoidal(t, _options.Channels).to(y.dtype);
        temb = _tembDense1.forward(act.Apply(_tembDense0.forward(temb)));

        var h = _convIn.forward(y);
        for (var i = 0; i < _blocks.Count; i++)
        {
            h = _blocks[i].forward(h, temb);
            if (_poolAfterBlock.Contains(i)) h = AveragePooling.TwoByTwo(h);
        }

        // network.py's head: relu, spatial sum, then a dot product with a level-dependent vector.
        var features = nn.functional.relu(h).sum([2, 3]);
        var head = nn.functional.linear(act.Apply(temb), Taps.Use(_head.weight!), Taps.Use(_head.bias!));
        return (features * head).sum(1);
    }
}
