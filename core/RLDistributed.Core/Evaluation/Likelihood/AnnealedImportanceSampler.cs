using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// Annealed importance sampling (Neal 2001) of log Z = log ∫ p̃(x) dx along the geometric path
/// f_β = (1 − β)·log N(z; 0, I) + β·log p̃(μ + σz) in the base's whitened coordinates. Each chain starts from the
/// base, gains (β_k − β_{k−1})·(log p̃ − log base) at every distribution, and moves by Metropolis-adjusted Langevin
/// (MALA) transitions that leave f_{β_k} invariant: the Metropolis test is what keeps the weights exact, so
/// unadjusted Langevin (the training sampler) is not used here. One step size is shared by the chains and steered
/// after each transition towards the target acceptance, using only moves already made.
/// </summary>
public sealed class AnnealedImportanceSampler(AisOptions options)
{
    /// <summary>Steering gain of the step size per transition: log h moves by gain·(acceptance − target).</summary>
    private const double StepSizeGain = 0.1;

    /// <summary>The options in force.</summary>
    public AisOptions Options { get; } = options;

    /// <summary>Estimates log Z of <paramref name="target"/> with chains on <paramref name="device"/>.</summary>
    public AisEstimate Estimate(ILogDensity target, GaussianBase basis, Device device, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var dimensions = target.ExampleShape.Aggregate(1L, (a, b) => a * b);
        var normalConstant = -0.5 * dimensions * Math.Log(2 * Math.PI);
        var betas = AnnealingSchedule.Sigmoid(Options.Distributions, Options.ScheduleSharpness);
        using var startGenerator = EvaluationRandom.Generator(Options.Seed, "ais-start");
        using var moveGenerator = EvaluationRandom.Generator(Options.Seed, "ais-transition");
        using var mean = basis.Mean.to(device);
        using var std = basis.Std.to(device);
        using var outer = NewDisposeScope();

        var shape = new[] { (long)Options.Chains }.Concat(target.ExampleShape).ToArray();
        var state = Evaluate(target, randn(shape, dtype: ScalarType.Float64, generator: startGenerator).to(device), mean, std);
        var logWeights = zeros(Options.Chains, dtype: ScalarType.Float64, device: device);
        var stepSize = Options.InitialStepSize;
        var accepted = 0.0;
        for (var k = 1; k <= Options.Distributions; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var step = NewDisposeScope())
            {
                logWeights = (logWeights + (betas[k] - betas[k - 1]) * (state.Target - state.Base)).MoveToOuterDisposeScope();
            }
            for (var m = 0; m < Options.TransitionsPerDistribution; m++)
            {
                using var step = NewDisposeScope();
                var (next, acceptance) = Transition(target, state, betas[k], stepSize, moveGenerator, mean, std);
                state = next.MoveToOuterDisposeScope();
                accepted += acceptance;
                stepSize = Math.Clamp(stepSize * Math.Exp(StepSizeGain * (acceptance - Options.TargetAcceptance)), 1e-12, 100.0);
            }
            outer.DisposeEverythingBut([logWeights, .. state.Tensors]);
            // Once per percent of the distributions, whatever their number.
            if (k * 100L / Options.Distributions != (k - 1) * 100L / Options.Distributions) progress?.Report(k / (double)Options.Distributions);
        }
        // The increments used the base without its normaliser −(D/2)·log 2π; the β steps sum to 1, so it comes back once.
        var weights = (logWeights - normalConstant + basis.LogDeterminant).cpu().data<double>().ToArray();
        var meanAcceptance = accepted / (Options.Distributions * (double)Options.TransitionsPerDistribution);
        return AisEstimate.FromLogWeights(weights, Options.Distributions, meanAcceptance);
    }

    /// <summary>One MALA move of every chain at inverse temperature β; returns the new state and the acceptance rate.</summary>
    private static (ChainState Next, double Acceptance) Transition(ILogDensity target, ChainState state, double beta, double h,
        Generator generator, Tensor mean, Tensor std)
    {
        var drift = state.Drift(beta);
        var noise = randn(state.Z.shape, dtype: ScalarType.Float64, generator: generator).to(state.Z.device);
        var proposal = Evaluate(target, state.Z + 0.5 * h * drift + Math.Sqrt(h) * noise, mean, std);
        var proposalDrift = proposal.Drift(beta);
        var forward = SumRows((proposal.Z - state.Z - 0.5 * h * drift).square()) / (-2 * h);
        var backward = SumRows((state.Z - proposal.Z - 0.5 * h * proposalDrift).square()) / (-2 * h);
        var logRatio = proposal.Path(beta) - state.Path(beta) + backward - forward;
        var uniform = rand(logRatio.shape, dtype: ScalarType.Float64, generator: generator).to(logRatio.device);
        // A NaN ratio (the target overflowed at the proposal) compares false: the move is rejected.
        var accept = uniform.log().lt(logRatio);
        var acceptance = accept.to(ScalarType.Float64).mean().item<double>();
        return (ChainState.Choose(accept, proposal, state), acceptance);
    }

    /// <summary>The chain state at whitened points z: log p̃ and its z-gradient, and the base's log-density up to its constant.</summary>
    private static ChainState Evaluate(ILogDensity target, Tensor z, Tensor mean, Tensor std)
    {
        var (value, gradient) = target.LogDensityAndGradient(mean + std * z);
        return new ChainState(z, value, gradient * std, SumRows(z.square()) * -0.5);
    }

    private static Tensor SumRows(Tensor x) => x.dim() == 1 ? x : x.flatten(1).sum(1);
}
