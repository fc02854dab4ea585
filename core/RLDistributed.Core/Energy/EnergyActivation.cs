namespace RLDistributed.Core.Energy;

/// <summary>Nonlinearity used throughout <see cref="ImageEnergyNetwork"/> (drl-spec.md §4).</summary>
public enum EnergyActivation
{
    /// <summary>Leaky ReLU with slope 0.2, the official setting.</summary>
    LeakyRelu,

    /// <summary>Swish, x·sigmoid(x), available in network.py as an alternative.</summary>
    Swish,
}
