using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// Sees each parameter's gradient during the backward pass, at the moment it is final: every use of the parameter
/// in the step's graph has contributed, and autograd is about to store this very tensor in <c>.grad</c>. Parameters
/// late in the network come first. A worker uses it to start the all-reduce of a bucket while autograd still
/// computes the gradients of the earlier layers.
/// </summary>
/// <remarks>
/// Called on the thread that runs the backward (the caller's for CPU tensors, an autograd device thread on a GPU),
/// in the middle of it: keep the work minimal (copy, signal). An exception is kept and rethrown once the backward
/// has finished, since it cannot cross libtorch's frames.
/// </remarks>
public interface IGradientObserver
{
    /// <summary>Parameter <paramref name="parameter"/>'s gradient is final.</summary>
    /// <param name="parameter">The parameter's index in the network's <c>parameters()</c> order.</param>
    /// <param name="gradient">The whole gradient; valid during the call only: neither keep nor dispose it.</param>
    void OnGradient(int parameter, Tensor gradient);
}
