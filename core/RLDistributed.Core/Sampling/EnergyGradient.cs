using RLDistributed.Core.Energy;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Sampling;

/// <summary>∇_y F(y, t) without a parameter graph: the chain only needs input gradients (drl-spec.md §11).</summary>
public static class EnergyGradient
{
    /// <summary>Returns ∇_y ΣF(y, t) (detached). The sum gives each row its own gradient, rows being independent.</summary>
    public static Tensor OfInput(EnergyNetwork energy, Tensor y, Tensor levels)
    {
        using var scope = NewDisposeScope();
        using var gradMode = enable_grad();
        var input = y.detach().requires_grad_(true);
        var total = energy.forward(input, levels).sum();
        // autograd.grad with respect to the input alone: no .grad accumulates on the parameters.
        var gradient = autograd.grad([total], [input], retain_graph: false, create_graph: false)[0];
        return gradient.detach().MoveToOuterDisposeScope();
    }
}
