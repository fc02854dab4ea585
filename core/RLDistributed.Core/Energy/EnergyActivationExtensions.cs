using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>Applies an <see cref="EnergyActivation"/> to a tensor.</summary>
public static class EnergyActivationExtensions
{
    /// <summary>Negative slope of the leaky ReLU; 0.2 is TF's <c>tf.nn.leaky_relu</c> default used by network.py.</summary>
    public const double LeakySlope = 0.2;

    /// <summary>Returns act(x) as a new tensor; x is left untouched.</summary>
    public static Tensor Apply(this EnergyActivation activation, Tensor x) => activation switch
    {
        EnergyActivation.LeakyRelu => nn.functional.leaky_relu(x, LeakySlope),
        EnergyActivation.Swish => nn.functional.silu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };
}
