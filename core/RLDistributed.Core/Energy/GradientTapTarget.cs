using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>Where one tap's gradient goes: the parameter's index in the session that tapped it.</summary>
internal sealed record GradientTapTarget(GradientTapSession Session, int Parameter)
{
    /// <summary>Hands the gradient to the session's observer.</summary>
    public void Deliver(Tensor gradient) => Session.Deliver(Parameter, gradient);
}
