using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// Dense layer with a spectrally normalised weight (see <see cref="SpectralNormLayer"/>).
/// Input [B, in] → output [B, out].
/// </summary>
public sealed class SpectralLinear : SpectralNormLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="initScale">Variance-scaling scale. Defaults to 1 (Glorot uniform).</param>
    /// <param name="lowerBound">Use the shrink-only normalisation. Defaults to false.</param>
    /// <param name="generator">Random source for initialisation; null uses the global one.</param>
    /// <param name="taps">The network's parameter taps; null: the layer's own.</param>
    public SpectralLinear(string name, long inFeatures, long outFeatures, double initScale = 1.0,
        bool lowerBound = false, Generator? generator = null, ParameterTaps? taps = null)
        : base(name, [outFeatures, inFeatures], initScale, lowerBound, generator, taps)
    {
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => nn.functional.linear(input, NormalizedWeight(), Taps.Use(Bias));
}
