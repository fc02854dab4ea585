using RLDistributed.Core.Energy;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>Power-iteration spectral normalisation of <see cref="SpectralConv2d"/> and <see cref="SpectralLinear"/>.</summary>
public sealed class SpectralNormLayerTests
{
    private const int ConvergenceCalls = 200;

    [Fact]
    public void NormalizedWeight_ConvAfterManyForwards_TopSingularValueIsOne()
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralConv2d("conv", 4, 6, generator: new Generator(11));
        var x = randn(1, 4, 5, 5, generator: new Generator(12));
        using (no_grad())
        {
            for (var i = 0; i < ConvergenceCalls; i++) layer.forward(x);
            var normalized = layer.NormalizedWeight();
            Assert.Equal(1.0, TopSingularValue(normalized), 1e-3);
            Assert.NotEqual(1.0, TopSingularValue(layer.Weight), 1e-2); // the raw weight really is rescaled
        }
    }

    [Fact]
    public void NormalizedWeight_LinearAfterManyForwards_TopSingularValueIsOne()
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralLinear("dense", 7, 5, generator: new Generator(21));
        var x = randn(3, 7, generator: new Generator(22));
        using (no_grad())
        {
            for (var i = 0; i < ConvergenceCalls; i++) layer.forward(x);
            Assert.Equal(1.0, TopSingularValue(layer.NormalizedWeight()), 1e-3);
        }
    }

    [Fact]
    public void NormalizedWeight_LowerBoundWithSigmaBelowOne_LeavesWeightUnchanged()
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralConv2d("conv", 3, 4, lowerBound: true, generator: new Generator(31));
        using (no_grad())
        {
            layer.Weight.mul_(0.5 / TopSingularValue(layer.Weight));
            for (var i = 0; i < ConvergenceCalls; i++) layer.NormalizedWeight();
            var normalized = layer.NormalizedWeight();
            Assert.Equal(layer.Weight.data<float>().ToArray(), normalized.data<float>().ToArray());
        }
    }

    [Fact]
    public void NormalizedWeight_LowerBoundWithSigmaAboveOne_ScalesToOne()
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralConv2d("conv", 3, 4, lowerBound: true, generator: new Generator(41));
        using (no_grad())
        {
            layer.Weight.mul_(3.0 / TopSingularValue(layer.Weight));
            for (var i = 0; i < ConvergenceCalls; i++) layer.NormalizedWeight();
            Assert.Equal(1.0, TopSingularValue(layer.NormalizedWeight()), 1e-3);
        }
    }

    [Fact]
    public void Forward_Called_UpdatesPersistentU()
    {
        using var scope = NewDisposeScope();
        var layer = new SpectralLinear("dense", 6, 4, generator: new Generator(51));
        var before = layer.U.clone();

        using (no_grad()) layer.forward(ones(2, 6));

        Assert.False(before.allclose(layer.U, rtol: 0, atol: 1e-6));
        Assert.Equal(1.0, layer.U.norm().item<float>(), 1e-5);
        var state = layer.state_dict();
        Assert.True(state.ContainsKey("u"));
        Assert.Same(layer.U, state["u"]);
        Assert.Contains(layer.buffers(), b => ReferenceEquals(b, layer.U));
        Assert.DoesNotContain(layer.parameters(), p => ReferenceEquals(p, layer.U));
    }

    [Fact]
    public void Backward_AfterSecondForward_StillSucceeds()
    {
        // The second forward rewrites u in place; the first forward's graph must not depend on the buffer itself.
        using var scope = NewDisposeScope();
        var layer = new SpectralConv2d("conv", 2, 3, generator: new Generator(61));
        var x = randn(2, 2, 4, 4, generator: new Generator(62));

        var loss = layer.forward(x).sum() + layer.forward(x).square().sum();
        loss.backward();

        var grad = layer.Weight.grad;
        Assert.NotNull(grad);
        Assert.True(grad.isfinite().all().item<bool>());
    }

    [Fact]
    public void NormalizedWeight_Gradient_FlowsThroughSigmaAndMatchesCentralDifference()
    {
        // d(W/σ)/dW includes −W·(∂σ/∂W)/σ² with ∂σ/∂W = u vᵀ; dropping it (σ detached) would fail this check.
        // Autograd treats u and v as constants, which is the true derivative of σ_max only once u has converged
        // (σ = uᵀWv is stationary in u and v there), so converge first and restore that u before each evaluation.
        using var scope = NewDisposeScope();
        var layer = new SpectralLinear("dense", 4, 3, generator: new Generator(71));
        layer.to(ScalarType.Float64);
        var probe = randn(3, 4, dtype: ScalarType.Float64, generator: new Generator(72));
        using (no_grad())
        {
            for (var i = 0; i < 10 * ConvergenceCalls; i++) layer.NormalizedWeight();
        }
        var u0 = layer.U.clone();
        double Objective()
        {
            using var inner = NewDisposeScope();
            using (no_grad()) layer.U.copy_(u0); // the same power-iteration step every time: a fixed function of W
            return (layer.NormalizedWeight() * probe).sum().item<double>();
        }

        using (no_grad()) layer.U.copy_(u0);
        var gradient = autograd.grad([(layer.NormalizedWeight() * probe).sum()], [layer.Weight])[0].data<double>().ToArray();

        const double h = 1e-6;
        var weight = layer.Weight.detach().flatten();
        for (var i = 0; i < weight.shape[0]; i++)
        {
            using (no_grad()) weight[i] += h;
            var plus = Objective();
            using (no_grad()) weight[i] -= 2 * h;
            var minus = Objective();
            using (no_grad()) weight[i] += h;
            Assert.Equal(gradient[i], (plus - minus) / (2 * h), 1e-7);
        }
    }

    [Fact]
    public void Constructor_EvenKernel_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralConv2d("conv", 2, 3, kernelSize: 2));
        Assert.Equal("kernelSize", ex.ParamName);
    }

    private static double TopSingularValue(Tensor weight)
    {
        using var scope = NewDisposeScope();
        return linalg.svdvals(weight.detach().reshape(weight.shape[0], -1).to(ScalarType.Float64)).max().item<double>();
    }
}
