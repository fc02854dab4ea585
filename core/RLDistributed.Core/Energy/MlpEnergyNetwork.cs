using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// A small energy for 2-D data with the image network's conditioning pattern (drl-spec.md §4 scaled down):
/// sinusoidal level embedding → dense → act → dense; residual blocks h += W₂·act(W₁·act(h) + Dense(act(temb)));
/// head F = ⟨act(h), Dense(act(temb))⟩. Swish keeps ∇F smooth, which short Langevin chains need in 2-D.
/// </summary>
public sealed class MlpEnergyNetwork : EnergyNetwork
{
    private readonly MlpEnergyNetworkOptions _options;
    private readonly Linear _embed1, _embed2, _input, _head;
    private readonly ModuleList<Linear> _first, _condition, _second;

    /// <summary>Builds the network with Glorot-uniform weights and zero biases.</summary>
    public MlpEnergyNetwork(MlpEnergyNetworkOptions options) : base(nameof(MlpEnergyNetwork))
    {
        options.Validate();
        _options = options;
        var hidden = options.Hidden;
        _embed1 = nn.Linear(options.EmbeddingDimensions, hidden);
        _embed2 = nn.Linear(hidden, hidden);
        _input = nn.Linear(options.InputDimensions, hidden);
        _first = new ModuleList<Linear>();
        _condition = new ModuleList<Linear>();
        _second = new ModuleList<Linear>();
        for (var b = 0; b < options.Blocks; b++)
        {
            _first.Add(nn.Linear(hidden, hidden));
            _condition.Add(nn.Linear(hidden, hidden));
            _second.Add(nn.Linear(hidden, hidden));
        }
        _head = nn.Linear(hidden, hidden);
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal)) parameter.zero_();
            else nn.init.xavier_uniform_(parameter);
        }
    }

    /// <inheritdoc />
    public override long[] ExampleShape => [_options.InputDimensions];

    /// <inheritdoc />
    public override Tensor forward(Tensor y, Tensor levels)
    {
        using var scope = NewDisposeScope();
        var temb = _embed2.forward(Act(_embed1.forward(TimeEmbedding.Sinusoidal(levels, _options.EmbeddingDimensions))));
        var conditioning = Act(temb);
        var h = _input.forward(_options.InputScale == 1.0 ? y : y * _options.InputScale);
        for (var b = 0; b < _first.Count; b++)
        {
            var inner = _first[b].forward(Act(h)) + _condition[b].forward(conditioning);
            h = h + _second[b].forward(Act(inner));
        }
        var energy = (Act(h) * _head.forward(conditioning)).sum(1);
        return energy.MoveToOuterDisposeScope();
    }

    private static Tensor Act(Tensor x) => nn.functional.silu(x);
}
