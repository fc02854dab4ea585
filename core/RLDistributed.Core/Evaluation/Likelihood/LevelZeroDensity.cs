using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// The marginal EBM of level 0 in x-space: log p̃(x) = F(a′_1·x, 0)/s_0² (drl-spec.md §1: the effective
/// log-density of level t is F/s_t², and the network reads y = a′_{t+1}·x). This is the unconditioned model
/// of x_0 = ā_0·x + σ̄_0·ε; the recovery conditional p(x_0 | x_1) adds the tether −‖y − x_1‖²/(2σ_1²), which a
/// likelihood of data alone has no x_1 for. The same function is drawn as the 2-D density picture.
/// </summary>
public sealed class LevelZeroDensity(EnergyNetwork energy, DiffusionSchedule schedule) : ILogDensity
{
    private readonly double _inputScale = schedule.APrime[1];
    private readonly double _inverseStepSquared = 1.0 / (schedule.StepSize[0] * schedule.StepSize[0]);

    /// <inheritdoc />
    public long[] ExampleShape => energy.ExampleShape;

    /// <inheritdoc />
    public Tensor LogDensity(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var value = energy.forward(NetworkInput(x), Levels(x)).to(ScalarType.Float64) * _inverseStepSquared;
        return value.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor LogDensity, Tensor Gradient) LogDensityAndGradient(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var gradMode = enable_grad();
        var input = NetworkInput(x).detach().requires_grad_(true);
        var f = energy.forward(input, Levels(x));
        // Input gradient only: no parameter .grad accumulates (as in the Langevin sampler).
        var gradient = autograd.grad([f.sum()], [input], retain_graph: false, create_graph: false)[0];
        var value = f.detach().to(ScalarType.Float64) * _inverseStepSquared;
        var scaled = gradient.detach().to(ScalarType.Float64) * (_inputScale * _inverseStepSquared);
        return (value.MoveToOuterDisposeScope(), scaled.MoveToOuterDisposeScope());
    }

    /// <summary>a′_1·x in the network's precision (the chains may run in float64).</summary>
    private Tensor NetworkInput(Tensor x) => (x * _inputScale).to(ScalarType.Float32);

    private static Tensor Levels(Tensor x) => zeros(x.shape[0], dtype: ScalarType.Int64, device: x.device);
}
