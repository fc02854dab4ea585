using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// The level-conditioned residual block of network.py (drl-spec.md §4), without normalisation:
/// h = conv₁(act(x)) + dense(act(temb)); h = g ⊙ conv₂(dropout(act(h))); out = shortcut(x) + h.
/// forward(x [B, in, H, W], temb [B, E]) → [B, out, H, W].
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Variance-scaling scale of conv₂, so each block starts as (almost) the identity/shortcut.</summary>
    public const double ZeroInitScale = 1e-10;

    private readonly EnergyActivation _activation;
    private readonly double _dropout;
    private readonly ParameterTaps _taps;

    [ComponentName(Name = "conv1")]
    private SpectralConv2d _conv1;

    [ComponentName(Name = "temb_proj")]
    private SpectralLinear _tembProjection;

    [ComponentName(Name = "conv2")]
    private SpectralConv2d _conv2;

    [ComponentName(Name = "g")]
    private Parameter _scale;

    [ComponentName(Name = "shortcut")]
    private SpectralConv2d? _shortcut;

    /// <summary>Creates the block; a 3×3 SN shortcut conv is added only when the channel count changes.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="embeddingWidth">Width of temb.</param>
    /// <param name="activation">Nonlinearity.</param>
    /// <param name="dropout">Dropout probability before conv₂ (active in training mode only).</param>
    /// <param name="generator">Random source for initialisation; null uses the global one.</param>
    /// <param name="taps">The network's parameter taps; null: the block's own.</param>
    public ResidualBlock(string name, long inChannels, long outChannels, long embeddingWidth,
        EnergyActivation activation, double dropout = 0.0, Generator? generator = null, ParameterTaps? taps = null)
        : base(name)
    {
        _taps = taps ?? new ParameterTaps();
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        _activation = activation;
        _dropout = dropout;
        _conv1 = new SpectralConv2d("conv1", inChannels, outChannels, generator: generator, taps: _taps);
        _tembProjection = new SpectralLinear("temb_proj", embeddingWidth, outChannels, generator: generator, taps: _taps);
        // Near-zero init with shrink-only SN: plain SN would rescale the tiny kernel back to σ = 1.
        _conv2 = new SpectralConv2d("conv2", outChannels, outChannels, initScale: ZeroInitScale, lowerBound: true, generator: generator, taps: _taps);
        _scale = new Parameter(ones(outChannels));
        _shortcut = inChannels != outChannels
            ? new SpectralConv2d("shortcut", inChannels, outChannels, generator: generator, taps: _taps)
            : null;
        RegisterComponents();
    }

    /// <summary>First 3×3 convolution.</summary>
    public SpectralConv2d Conv1 => _conv1;

    /// <summary>Projection of act(temb) to a per-channel bias.</summary>
    public SpectralLinear TembProjection => _tembProjection;

    /// <summary>Second 3×3 convolution (near-zero init, lower-bound SN).</summary>
    public SpectralConv2d Conv2 => _conv2;

    /// <summary>Learned per-channel output scale g [out], initialised to 1.</summary>
    public Parameter Scale => _scale;

    /// <summary>Shortcut convolution, or null when the block keeps its channel count.</summary>
    public SpectralConv2d? Shortcut => _shortcut;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor temb)
    {
        var h = _conv1.forward(_activation.Apply(x));
        h = h + _tembProjection.forward(_activation.Apply(temb)).unsqueeze(-1).unsqueeze(-1);
        h = _activation.Apply(h);
        if (_dropout > 0) h = nn.functional.dropout(h, _dropout, training);
        h = _conv2.forward(h) * _taps.Use(_scale).view(1, -1, 1, 1);
        var skip = _shortcut is null ? x : _shortcut.forward(x);
        return skip + h;
    }
}
