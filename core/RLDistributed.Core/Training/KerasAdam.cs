using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// Adam as the authors ran it (Keras defaults, drl-spec.md §5): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − lr·√(1−β2ᵗ)/(1−β1ᵗ)·m/(√v + ε) with ε = 1e-7 added to the uncorrected √v. torch.optim.Adam
/// adds ε to the bias-corrected √v instead; owning the state also makes it easy to checkpoint exactly.
/// </summary>
public sealed class KerasAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly double _beta1, _beta2, _epsilon;

    /// <summary>Creates zeroed moments for every parameter.</summary>
    public KerasAdam(IEnumerable<Parameter> parameters, double beta1, double beta2, double epsilon)
    {
        _parameters = parameters.ToArray();
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _m = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _v = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Updates taken so far (t in the bias correction).</summary>
    public long Iterations { get; private set; }

    /// <summary>First moments, in parameter order (for checkpoints).</summary>
    public IReadOnlyList<Tensor> FirstMoments => _m;

    /// <summary>Second moments, in parameter order (for checkpoints).</summary>
    public IReadOnlyList<Tensor> SecondMoments => _v;

    /// <summary>Restores the iteration count after the moments were loaded in place.</summary>
    public void RestoreIterations(long iterations) => Iterations = iterations;

    /// <summary>Applies one update from the parameters' .grad (parameters without a gradient are skipped).</summary>
    public void Step(double learningRate)
    {
        Iterations++;
        var correction = Math.Sqrt(1 - Math.Pow(_beta2, Iterations)) / (1 - Math.Pow(_beta1, Iterations));
        var stepSize = learningRate * correction;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            _m[i].mul_(_beta1).add_(gradient, alpha: 1 - _beta1);
            _v[i].mul_(_beta2).addcmul_(gradient, gradient, value: 1 - _beta2);
            _parameters[i].addcdiv_(_m[i], _v[i].sqrt().add_(_epsilon), value: -stepSize);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
    }
}
