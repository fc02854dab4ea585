using System.Runtime.ExceptionServices;
using RLDistributed.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// One observed pass of <see cref="ParameterTaps"/>: the taps it created (one per parameter used) and the first
/// exception the observer threw, kept until <see cref="ThrowIfFaulted"/> because no exception may unwind through
/// libtorch's backward.
/// </summary>
public sealed class GradientTapSession : IDisposable
{
    private readonly Dictionary<Parameter, int> _indices = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Parameter, Tensor> _taps = new(ReferenceEqualityComparer.Instance);
    private readonly IGradientObserver _observer;
    private readonly Action _ended;
    private Exception? _fault;

    internal GradientTapSession(IEnumerable<Parameter> parameters, IGradientObserver observer, Action ended)
    {
        var index = 0;
        foreach (var parameter in parameters) _indices[parameter] = index++;
        _observer = observer;
        _ended = ended;
    }

    /// <summary>How many parameters have been tapped so far (each at its first use).</summary>
    public int TapCount => _taps.Count;

    /// <summary>Rethrows the observer's first exception, if it threw; call after the backward.</summary>
    public void ThrowIfFaulted()
    {
        if (_fault is not null) ExceptionDispatchInfo.Throw(_fault);
    }

    /// <summary>Ends the session: later forward calls read the parameters directly again.</summary>
    public void Dispose()
    {
        foreach (var tap in _taps.Values) tap.Dispose();
        _taps.Clear();
        _ended();
    }

    internal Tensor Use(Parameter parameter)
    {
        if (_taps.TryGetValue(parameter, out var tapped)) return tapped;
        if (!_indices.TryGetValue(parameter, out var index)) return parameter;
        tapped = GradientTap.Insert(parameter, new GradientTapTarget(this, index));
        // Owned by the session, not by the forward call's dispose scope: the next forward call uses it too.
        tapped.DetachFromDisposeScope();
        _taps[parameter] = tapped;
        return tapped;
    }

    internal void Deliver(int parameter, Tensor gradient)
    {
        if (_fault is not null) return;
        try
        {
            _observer.OnGradient(parameter, gradient);
        }
        catch (Exception e)
        {
            _fault = e;
        }
    }
}
