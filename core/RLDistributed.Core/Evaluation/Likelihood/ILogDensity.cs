using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// An unnormalised log-density log p̃(x) over rows x [B, …]: what AIS anneals to and quadrature integrates.
/// Values come back as float64 [B]; gradients with the shape of x, float64.
/// </summary>
public interface ILogDensity
{
    /// <summary>Shape of one example, without the batch dimension.</summary>
    long[] ExampleShape { get; }

    /// <summary>log p̃(x) per row, float64 [B], detached.</summary>
    Tensor LogDensity(Tensor x);

    /// <summary>log p̃(x) per row and ∇_x log p̃(x), both float64 and detached.</summary>
    (Tensor LogDensity, Tensor Gradient) LogDensityAndGradient(Tensor x);
}
