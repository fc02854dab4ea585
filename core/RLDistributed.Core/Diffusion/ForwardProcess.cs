using static TorchSharp.torch;

namespace RLDistributed.Core.Diffusion;

/// <summary>The forward (noising) process of drl-spec.md §1 (q_sample, q_sample_pairs).</summary>
public static class ForwardProcess
{
    /// <summary>x_t = ā_t·x_0 + σ̄_t·ε, per-example t.</summary>
    public static Tensor Sample(ScheduleTensors schedule, Tensor x0, Tensor t, Tensor noise) =>
        schedule.AlphaBar(t, x0.dim()) * x0 + schedule.SigmaBar(t, x0.dim()) * noise;

    /// <summary>x_{t+1} = a_{t+1}·x_t + σ_{t+1}·ε′, per-example t (ε′ independent of the ε of x_t).</summary>
    public static Tensor Next(ScheduleTensors schedule, Tensor xt, Tensor t, Tensor noise) =>
        schedule.NextA(t, xt.dim()) * xt + schedule.NextSigma(t, xt.dim()) * noise;
}
