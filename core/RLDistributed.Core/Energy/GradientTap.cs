using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace RLDistributed.Core.Energy;

/// <summary>
/// An identity autograd node in front of a parameter: forward returns the parameter's values unchanged, backward
/// hands the gradient it receives (the sum over every use of its output) to a <see cref="GradientTapTarget"/> and
/// passes it on unchanged. TorchSharp 0.107 offers no <c>Tensor.register_hook</c>, no post-accumulate-grad hook and
/// no module backward hooks (only forward hooks); a custom <see cref="Function{T}"/> is the one managed callback
/// autograd makes in the middle of a backward pass.
/// </summary>
internal sealed class GradientTap : SingleTensorFunction<GradientTap>
{
    private const string TargetKey = "target";

    /// <inheritdoc />
    public override string Name => nameof(GradientTap);

    /// <summary>Puts a tap in front of <paramref name="parameter"/>; its backward reports to <paramref name="target"/>.</summary>
    public static Tensor Insert(Tensor parameter, GradientTapTarget target) => apply(parameter, target);

    /// <inheritdoc />
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(TargetKey, vars[1]);
        return ((Tensor)vars[0]).alias();
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        ((GradientTapTarget)ctx.get_data(TargetKey)).Deliver(grad_output);
        return [grad_output, null!];
    }
}
