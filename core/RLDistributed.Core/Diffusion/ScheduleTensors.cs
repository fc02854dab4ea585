using static TorchSharp.torch;

namespace RLDistributed.Core.Diffusion;

/// <summary>
/// The schedule's constants as float32 tensors on one device, gathered per example so that a batch with
/// a different level in every row broadcasts each constant as [B, 1, …, 1] (drl-spec.md §11).
/// </summary>
public sealed class ScheduleTensors : IDisposable
{
    private readonly Tensor _alphaBar, _sigmaBar, _a, _sigma, _aPrime, _stepSize, _tether, _weight;

    /// <summary>Copies the schedule's constants to <paramref name="device"/>.</summary>
    public ScheduleTensors(DiffusionSchedule schedule, Device device)
    {
        Schedule = schedule;
        var levels = schedule.Levels;
        _alphaBar = Table(schedule.AlphaBar, device);
        _sigmaBar = Table(schedule.SigmaBar, device);
        _a = Table(schedule.A, device);
        _sigma = Table(schedule.Sigma, device);
        _aPrime = Table(schedule.APrime, device);
        _stepSize = Table(schedule.StepSize, device);
        // ½·(s_t²/σ_{t+1}²)·r_{t+1} = ½·b²·c_t²·r_{t+1}: zero at the top level, where there is no tether.
        _tether = Table(Enumerable.Range(0, levels).Select(t => schedule.TetherCoefficient(t) * schedule.Recovery[t + 1]).ToArray(), device);
        _weight = Table(schedule.Weight, device);
    }

    /// <summary>The schedule these tensors came from.</summary>
    public DiffusionSchedule Schedule { get; }

    /// <summary>ā_t per example.</summary>
    public Tensor AlphaBar(Tensor t, long rank) => Gather(_alphaBar, t, rank);

    /// <summary>σ̄_t per example.</summary>
    public Tensor SigmaBar(Tensor t, long rank) => Gather(_sigmaBar, t, rank);

    /// <summary>a_{t+1} per example (the factor from x_t to x_{t+1}).</summary>
    public Tensor NextA(Tensor t, long rank) => Gather(_a, t + 1, rank);

    /// <summary>σ_{t+1} per example.</summary>
    public Tensor NextSigma(Tensor t, long rank) => Gather(_sigma, t + 1, rank);

    /// <summary>a′_{t+1} per example: y = a′_{t+1}·x_t.</summary>
    public Tensor NextAPrime(Tensor t, long rank) => Gather(_aPrime, t + 1, rank);

    /// <summary>Langevin step size s_t per example.</summary>
    public Tensor StepSize(Tensor t, long rank) => Gather(_stepSize, t, rank);

    /// <summary>½·(s_t²/σ_{t+1}²)·r_{t+1} per example.</summary>
    public Tensor Tether(Tensor t, long rank) => Gather(_tether, t, rank);

    /// <summary>Loss weight w_t per example, shape [B].</summary>
    public Tensor Weight(Tensor t) => _weight.index_select(0, t);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var table in new[] { _alphaBar, _sigmaBar, _a, _sigma, _aPrime, _stepSize, _tether, _weight }) table.Dispose();
    }

    private static Tensor Table(IReadOnlyList<double> values, Device device) =>
        tensor(values.Select(v => (float)v).ToArray(), device: device);

    /// <summary>values[t] reshaped to [B, 1, …, 1] with <paramref name="rank"/> dimensions in all.</summary>
    private static Tensor Gather(Tensor values, Tensor t, long rank)
    {
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        return values.index_select(0, t).reshape(shape);
    }
}
