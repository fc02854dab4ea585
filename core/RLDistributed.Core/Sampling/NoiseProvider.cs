using static TorchSharp.torch;

namespace RLDistributed.Core.Sampling;

/// <summary>
/// Gives the standard normal noise of chain step k for the rows being sampled; the caller decides
/// how it is keyed (by seed, step and global example index in training).
/// </summary>
public delegate Tensor NoiseProvider(int chainStep);
