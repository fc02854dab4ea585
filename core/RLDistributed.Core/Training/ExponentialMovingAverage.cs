using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// EMA over all variables of the network, parameters and buffers (the SN u vectors too, as
/// tf.train.ExponentialMovingAverage did): shadow ← decay·shadow + (1−decay)·live, every step.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly (Tensor Shadow, Tensor Live)[] _pairs;
    private readonly double _decay;

    /// <summary>Pairs every state tensor of <paramref name="shadow"/> with the same-named one of <paramref name="live"/> and copies live into shadow.</summary>
    public ExponentialMovingAverage(EnergyNetwork live, EnergyNetwork shadow, double decay)
    {
        if (decay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the EMA decay must be in [0, 1]");
        _decay = decay;
        var liveState = live.state_dict();
        _pairs = shadow.state_dict().Select(kv => (kv.Value, liveState[kv.Key])).ToArray();
        using var noGrad = no_grad();
        foreach (var (s, l) in _pairs) s.copy_(l);
    }

    /// <summary>One EMA update.</summary>
    public void Update()
    {
        using var noGrad = no_grad();
        foreach (var (shadow, live) in _pairs)
        {
            if (shadow.is_floating_point()) shadow.lerp_(live, 1 - _decay);
            else shadow.copy_(live);
        }
    }
}
