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
    private readonly Tensor? _frequencies;

    /// <summary>Builds the network with Glorot-uniform weights and zero biases.</summary>
    public MlpEnergyNetwork(MlpEnergyNetworkOptions options) : base(nameof(MlpEnergyNetwork))
    {
        options.Validate();
        _options = options;
        var hidden = options.Hidden;
        _embed1 = nn.Linear(options.EmbeddingDimensions, hidden);
        _embed2 = nn.Linear(hidden, hidden);
        var features = options.FourierFeatures > 0 ? 2 * options.FourierFeatures : options.InputDimensions;
        _input = nn.Linear(features, hidden);
        if (options.FourierFeatures > 0)
        {
            // A buffer, not a parameter: fixed at initialisation and saved with the weights.
            _frequencies = randn(options.InputDimensions, options.FourierFeatures) * options.FourierScale;
            register_buffer("fourier_frequencies", _frequencies);
        }
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
        var temb = Dense(_embed2, Act(Dense(_embed1, TimeEmbedding.Sinusoidal(levels, _options.EmbeddingDimensions))));
        var conditioning = Act(temb);
        var h = Dense(_input, Features(_options.InputScale == 1.0 ? y : y * _options.InputScale));
        for (var b = 0; b < _first.Count; b++)
        {
            var inner = Dense(_first[b], Act(h)) + Dense(_condition[b], conditioning);
            h = h + Dense(_second[b], Act(inner));
        }
        var energy = (Act(h) * Dense(_head, conditioning)).sum(1);
        return energy.MoveToOuterDisposeScope();
    }

    private Tensor Features(Tensor y)
    {
        if (_frequencies is null) return y;
        var angles = y.matmul(_frequencies) * (2 * Math.PI);
        return cat([sin(angles), cos(angles)], 1);
    }

    private Tensor Act(Tensor x) => _options.Activation.Apply(x);

    /// <summary><c>layer.forward(x)</c> with the weights read through <see cref="EnergyNetwork.Taps"/>.</summary>
    private Tensor Dense(Linear layer, Tensor x) => nn.functional.linear(x, Taps.Use(layer.weight!), Taps.Use(layer.bias!));
}
