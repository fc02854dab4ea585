using RLDistributed.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// How the layers of one network read their parameters in forward, so that a backward pass can be observed
/// parameter by parameter (<see cref="IGradientObserver"/>). Outside an observed pass <see cref="Use"/> returns
/// the parameter itself and costs nothing. During one (<see cref="Observe"/>) the first use of each parameter puts
/// a <see cref="GradientTap"/> in front of it, and every later use in the pass, in any forward call, gets the same
/// tapped tensor: all uses of the parameter meet in that one node.
/// </summary>
/// <remarks>
/// Why the tap sees the final gradient, early: autograd runs a node once, after every input has arrived, so the
/// tap's backward gets the parameter's whole gradient (what AccumulateGrad then stores in <c>.grad</c>, the same
/// tensor, so the sums are bitwise those of an unobserved pass). Created at the parameter's first use, the node's
/// sequence number sits just below that use's, and libtorch's ready queue runs the highest sequence number first:
/// the tap fires as soon as the backward has passed the parameter's first use. The last layers' taps fire first.
/// Every use inside the pass must go through <see cref="Use"/>: a direct use would add to <c>.grad</c> behind the
/// tap's back (the tests compare observed gradients with <c>.grad</c> bit for bit for every network).
/// </remarks>
public sealed class ParameterTaps
{
    private GradientTapSession? _session;

    /// <summary>The tensor a layer computes with: the parameter itself, or in an observed pass its tapped alias.</summary>
    public Tensor Use(Parameter parameter) => _session is null ? parameter : _session.Use(parameter);

    /// <summary>
    /// Observes the next forward calls and their backward: <paramref name="observer"/> gets each parameter's final
    /// gradient as the backward produces it. Dispose the session after the backward.
    /// </summary>
    /// <param name="parameters">The network's parameters in <c>parameters()</c> order (the observer's indices).</param>
    /// <param name="observer">Called on the backward's thread; see <see cref="IGradientObserver"/>.</param>
    /// <exception cref="InvalidOperationException">A pass of this network is already observed.</exception>
    public GradientTapSession Observe(IEnumerable<Parameter> parameters, IGradientObserver observer)
    {
        if (_session is not null) throw new InvalidOperationException("a backward pass of this network is already being observed");
        _session = new GradientTapSession(parameters, observer, () => _session = null);
        return _session;
    }
}
