namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// One named tensor copied to host memory: what a checkpoint snapshot holds, so that files can be written in
/// the background while training goes on. Only float32 and int64 occur in the networks and the optimizer.
/// </summary>
public sealed record TensorRecord(string Name, TensorElement Element, long[] Shape, byte[] Data)
{
    /// <summary>Number of elements the shape declares.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>Element types a tensor file may hold (the byte written to the file).</summary>
public enum TensorElement : byte
{
    /// <summary>32-bit IEEE float.</summary>
    Float32 = 1,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 2,
}
