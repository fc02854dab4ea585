using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// A weight layer whose kernel is divided by its largest singular value, estimated by one power iteration per
/// forward call (nn.py <c>SN</c>; TorchSharp has no spectral_norm). The running left singular vector u is a
/// persistent buffer, so it is saved with the state dict and moved by <c>to()</c>.
/// </summary>
public abstract class SpectralNormLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Std of u's initial truncated normal (nn.py); any nonzero start converges, this one only matches TF.</summary>
    public const double InitialUStd = 0.02;

    /// <summary>Added to σ in the lower-bound variant, as nn.py does, before min(σ′, 1)/σ′.</summary>
    public const double LowerBoundEpsilon = 1e-6;

    /// <summary>ε of the L2 normalisation in the power iteration (TF's <c>_l2normalize</c>).</summary>
    public const double NormalizeEpsilon = 1e-12;

    [ComponentName(Name = "weight")]
    private Parameter _weight;

    [ComponentName(Name = "bias")]
    private Parameter _bias;

    [ComponentName(Name = "u")]
    private Tensor _u;

    /// <summary>
    /// Creates the raw weight (variance-scaling fan_avg uniform at <paramref name="initScale"/>), a zero bias
    /// [shape[0]] and u [shape[0]].
    /// </summary>
    /// <param name="name">Module name.</param>
    /// <param name="weightShape">Torch layout: [out, in] or [out, in, kh, kw].</param>
    /// <param name="initScale">Variance-scaling scale: 1 is Glorot uniform, 1e-10 the near-zero init.</param>
    /// <param name="lowerBound">Use W·min(σ′,1)/σ′ instead of W/σ.</param>
    /// <param name="generator">Random source for the weight and u; null uses the global one.</param>
    /// <param name="taps">The network's parameter taps; null: this layer's own (never observed).</param>
    protected SpectralNormLayer(string name, long[] weightShape, double initScale, bool lowerBound, Generator? generator, ParameterTaps? taps)
        : base(name)
    {
        Taps = taps ?? new ParameterTaps();
        ArgumentNullException.ThrowIfNull(weightShape);
        if (weightShape.Any(d => d <= 0))
            throw new ArgumentException($"every weight dimension must be positive, got [{string.Join(", ", weightShape)}]", nameof(weightShape));
        LowerBound = lowerBound;
        var outFeatures = weightShape[0];
        _weight = new Parameter(VarianceScaling.FanAvgUniform(empty(weightShape), initScale, generator));
        _bias = new Parameter(zeros(outFeatures));
        using (no_grad())
        {
            // Truncated normal emulated by clamping at 2σ, which keeps the generator honoured (trunc_normal_ ignores it).
            _u = empty(outFeatures).normal_(0.0, InitialUStd, generator).clamp_(-2 * InitialUStd, 2 * InitialUStd);
        }
        register_buffer("u", _u, persistent: true);
    }

    /// <summary>The raw (unnormalised) weight W.</summary>
    public Parameter Weight => _weight;

    /// <summary>The bias, zero-initialised.</summary>
    public Parameter Bias => _bias;

    /// <summary>The running estimate of W's top left singular vector, shape [out]; updated in place on every forward.</summary>
    public Tensor U => _u;

    /// <summary>How this layer reads its weight and bias in forward (see <see cref="ParameterTaps"/>).</summary>
    protected ParameterTaps Taps { get; }

    /// <summary>Whether this layer only shrinks W (σ &gt; 1) rather than always normalising it.</summary>
    public bool LowerBound { get; }

    /// <summary>
    /// Runs one power iteration (updating <see cref="U"/>) and returns the normalised weight, in W's shape, with the
    /// graph through W: W/σ, or W/max(σ′, 1) for the lower bound (= W·min(σ′,1)/σ′).
    /// σ = uᵀ W v with u and v treated as constants, as torch's spectral_norm does.
    /// </summary>
    public Tensor NormalizedWeight()
    {
        var outFeatures = _weight.shape[0];
        Tensor u, v;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var w = _weight.detach().reshape(outFeatures, -1);
            v = nn.functional.normalize(w.t().mv(_u), p: 2, dim: 0, eps: NormalizeEpsilon);
            u = nn.functional.normalize(w.mv(v), p: 2, dim: 0, eps: NormalizeEpsilon);
            _u.copy_(u);
            // σ uses a fresh u, not the buffer: a later forward rewrites the buffer in place, which would otherwise
            // invalidate this forward's graph before backward (torch clones u for the same reason).
            u.MoveToOuterDisposeScope();
            v.MoveToOuterDisposeScope();
        }

        var weight = Taps.Use(_weight);
        var sigma = u.dot(weight.reshape(outFeatures, -1).mv(v));
        return LowerBound
            ? weight / (sigma + LowerBoundEpsilon).clamp_min(1.0)
            : weight / sigma;
    }
}
