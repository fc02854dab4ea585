using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>The batch loss with its graph, and the detached energies of each example.</summary>
public sealed record LossTerms(Tensor Loss, Tensor PositiveEnergy, Tensor NegativeEnergy);
