namespace RLDistributed.Core.Energy;

/// <summary>Size of the small MLP energy for 2-D data.</summary>
public sealed record MlpEnergyNetworkOptions
{
    /// <summary>Input dimensions. Default 2.</summary>
    public int InputDimensions { get; init; } = 2;

    /// <summary>Width of every hidden layer. Default 128.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Residual blocks. Default 3.</summary>
    public int Blocks { get; init; } = 3;

    /// <summary>Size of the sinusoidal level embedding. Default 32.</summary>
    public int EmbeddingDimensions { get; init; } = 32;

    /// <summary>
    /// Factor applied to the input before the first layer. MLPs learn low frequencies first; 2-D modes a
    /// tenth of the data's extent wide need higher ones, and a larger input scale makes them reachable
    /// within a short run. Default 1.
    /// </summary>
    public double InputScale { get; init; } = 1.0;

    /// <summary>
    /// Random Fourier features of the input (Tancik et al. 2020): 0 feeds the input directly; n &gt; 0 feeds
    /// [sin(2π·B·y), cos(2π·B·y)] with n fixed frequencies B ~ N(0, FourierScale²) per input dimension.
    /// Default 0.
    /// </summary>
    public int FourierFeatures { get; init; }

    /// <summary>Standard deviation of the Fourier frequencies. Default 1.</summary>
    public double FourierScale { get; init; } = 1.0;

    /// <summary>Activation. Default swish (smooth ∇F for short 2-D chains).</summary>
    public EnergyActivation Activation { get; init; } = EnergyActivation.Swish;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (InputDimensions < 1) throw new ArgumentException($"InputDimensions must be at least 1, got {InputDimensions}");
        if (Hidden < 4) throw new ArgumentException($"Hidden must be at least 4, got {Hidden}");
        if (!(InputScale > 0) || double.IsInfinity(InputScale)) throw new ArgumentException($"InputScale must be positive, got {InputScale}");
        if (FourierFeatures < 0) throw new ArgumentException($"FourierFeatures must not be negative, got {FourierFeatures}");
        if (!(FourierScale > 0) || double.IsInfinity(FourierScale)) throw new ArgumentException($"FourierScale must be positive, got {FourierScale}");
        if (Blocks < 0) throw new ArgumentException($"Blocks must not be negative, got {Blocks}");
        if (EmbeddingDimensions < 4 || EmbeddingDimensions % 2 != 0)
            throw new ArgumentException($"EmbeddingDimensions must be even and at least 4, got {EmbeddingDimensions}");
    }
}
