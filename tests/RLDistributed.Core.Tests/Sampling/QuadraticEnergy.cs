using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Sampling;

/// <summary>
/// F(y, t) = −½·s_t²·‖y − μ‖²/τ², so that the log-density F/s_t² is the Gaussian −‖y − μ‖²/(2τ²) at every level.
/// With the tether, p(y | x̃) is then Gaussian in closed form.
/// </summary>
internal sealed class QuadraticEnergy : EnergyNetwork
{
    private readonly Tensor _stepSquared;
    private readonly double _mean, _tau;

    public QuadraticEnergy(DiffusionSchedule schedule, double mean, double tau, int dimensions) : base(nameof(QuadraticEnergy))
    {
        _stepSquared = tensor(schedule.StepSize.Select(s => (float)(s * s)).ToArray());
        _mean = mean;
        _tau = tau;
        ExampleShape = [dimensions];
    }

    public override long[] ExampleShape { get; }

    public override Tensor forward(Tensor y, Tensor levels) =>
        -0.5 * _stepSquared.index_select(0, levels) * (y - _mean).square().sum(1) / (_tau * _tau);
}
